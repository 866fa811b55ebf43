using Converge.Data;

namespace Converge.Classification;

/// <summary>The checks every scoring path applies to a model's output before anyone sees it.</summary>
internal static class ScoreChecks
{
    /// <summary>
    /// Refuses a silent wrong answer: a NaN probability (finite inputs so far outside the training range
    /// that the network's float32 arithmetic overflows) is a <see cref="DataError"/> naming the row's line.
    /// </summary>
    /// <param name="probabilities">Scores of consecutive rows.</param>
    /// <param name="sourceName">The file the rows came from.</param>
    /// <param name="lineOf">The physical line of the row at an index into <paramref name="probabilities"/>.</param>
    public static void EnsureFinite(ReadOnlySpan<float> probabilities, string sourceName, Func<int, int> lineOf)
    {
        for (var i = 0; i < probabilities.Length; i++)
        {
            if (!float.IsFinite(probabilities[i]))
                throw new DataError(sourceName, lineOf(i), null, null,
                    "the model's output for this row is not a number: its values are so far outside the training range that the network's float32 arithmetic overflows.");
        }
    }
}
