using Converge.Tensors;

namespace Converge.Data;

/// <summary>A split of row indices into training and validation rows, each in ascending order.</summary>
/// <param name="Train">Training row indices.</param>
/// <param name="Validation">Validation row indices (empty when the fraction is 0).</param>
public sealed record TrainValidationSplit(int[] Train, int[] Validation);

/// <summary>Seeded, deterministic train/validation splits.</summary>
public static class DataSplit
{
    /// <summary>
    /// Splits rows so each class keeps its proportion: within each class (0, then 1) the row indices
    /// are shuffled with one <see cref="Generator"/> seeded by <paramref name="seed"/>, and the first
    /// round(fraction·count) go to validation, keeping at least one row of each class for training.
    /// </summary>
    public static TrainValidationSplit Stratified(ReadOnlySpan<float> labels, double validationFraction, ulong seed)
    {
        if (!(validationFraction is >= 0 and < 1))
            throw new ArgumentOutOfRangeException(nameof(validationFraction), $"DataSplit: validation fraction must be in [0, 1), got {validationFraction}.");
        if (labels.IsEmpty) throw new ArgumentException("DataSplit: there are no rows to split.", nameof(labels));
        var byClass = new[] { new List<int>(), new List<int>() };
        for (var i = 0; i < labels.Length; i++)
        {
            var label = labels[i];
            if (label is not (0f or 1f))
                throw new ArgumentException($"DataSplit: labels must be 0 or 1, got {label} at row {i}.", nameof(labels));
            byClass[(int)label].Add(i);
        }

        var generator = new Generator(seed);
        var train = new List<int>(labels.Length);
        var validation = new List<int>();
        foreach (var rows in byClass)
        {
            var shuffled = rows.ToArray();
            generator.Shuffle<int>(shuffled);
            var take = (int)Math.Round(validationFraction * shuffled.Length, MidpointRounding.AwayFromZero);
            take = Math.Min(take, Math.Max(shuffled.Length - 1, 0));
            validation.AddRange(shuffled.AsSpan(0, take));
            train.AddRange(shuffled.AsSpan(take));
        }
        train.Sort();
        validation.Sort();
        return new TrainValidationSplit([.. train], [.. validation]);
    }

    /// <summary>
    /// Assigns every row to one of <paramref name="folds"/> folds so each class keeps its proportion in
    /// every fold (scikit-learn's <c>StratifiedKFold</c> idea): within each class (0, then 1) the rows are
    /// shuffled with one <see cref="Generator"/> seeded by <paramref name="seed"/> and dealt round-robin,
    /// the second class continuing where the first stopped so the fold sizes differ by at most one.
    /// Returns the fold (0-based) of each row.
    /// </summary>
    public static int[] StratifiedFolds(ReadOnlySpan<float> labels, int folds, ulong seed)
    {
        if (folds < 2) throw new ArgumentOutOfRangeException(nameof(folds), $"DataSplit: cross-fitting needs at least 2 folds, got {folds}.");
        if (labels.Length < folds) throw new ArgumentException($"DataSplit: {labels.Length} rows cannot fill {folds} folds.", nameof(labels));
        var byClass = new[] { new List<int>(), new List<int>() };
        for (var i = 0; i < labels.Length; i++)
        {
            var label = labels[i];
            if (label is not (0f or 1f))
                throw new ArgumentException($"DataSplit: labels must be 0 or 1, got {label} at row {i}.", nameof(labels));
            byClass[(int)label].Add(i);
        }
        var generator = new Generator(seed);
        var fold = new int[labels.Length];
        var next = 0;
        foreach (var rows in byClass)
        {
            var shuffled = rows.ToArray();
            generator.Shuffle<int>(shuffled);
            foreach (var r in shuffled)
            {
                fold[r] = next;
                next = (next + 1) % folds;
            }
        }
        return fold;
    }
}
