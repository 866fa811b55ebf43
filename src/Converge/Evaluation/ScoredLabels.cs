namespace Converge.Evaluation;

/// <summary>Validated probabilities and 0/1 labels, sorted by probability (ascending) for the ranking metrics.</summary>
internal sealed class ScoredLabels
{
    private ScoredLabels(float[] scores, bool[] positive, int positives)
    {
        Scores = scores;
        IsPositive = positive;
        Positives = positives;
    }

    /// <summary>The probabilities in ascending order.</summary>
    public float[] Scores { get; }

    /// <summary>Whether the row at the same index of <see cref="Scores"/> is positive.</summary>
    public bool[] IsPositive { get; }

    public int Positives { get; }

    public int Count => Scores.Length;

    public int Negatives => Count - Positives;

    public static ScoredLabels Sort(ReadOnlySpan<float> probabilities, ReadOnlySpan<float> labels, string owner)
    {
        var positives = Validate(probabilities, labels, owner);
        var scores = probabilities.ToArray();
        var positive = new bool[labels.Length];
        for (var i = 0; i < positive.Length; i++) positive[i] = labels[i] == 1;
        // Unstable sort: fine, every metric here treats equal scores as one group.
        Array.Sort(scores, positive);
        return new ScoredLabels(scores, positive, positives);
    }

    /// <summary>Checks lengths, label values and probability range; returns the number of positives.</summary>
    public static int Validate(ReadOnlySpan<float> probabilities, ReadOnlySpan<float> labels, string owner)
    {
        if (probabilities.Length != labels.Length)
            throw new ArgumentException($"{owner}: got {probabilities.Length} probabilities and {labels.Length} labels; they must pair up.", nameof(labels));
        if (probabilities.Length == 0) throw new ArgumentException($"{owner}: no rows to evaluate.", nameof(probabilities));
        var positives = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            var p = probabilities[i];
            if (!(p is >= 0 and <= 1))
                throw new ArgumentOutOfRangeException(nameof(probabilities), $"{owner}: probabilities[{i}] must be in [0, 1], got {p}.");
            var y = labels[i];
            if (y == 1) positives++;
            else if (y != 0) throw new ArgumentOutOfRangeException(nameof(labels), $"{owner}: labels[{i}] must be 0 or 1, got {y}.");
        }
        return positives;
    }
}
