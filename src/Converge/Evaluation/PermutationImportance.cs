using Converge.Data;

namespace Converge.Evaluation;

/// <summary>The score whose drop <see cref="PermutationImportance"/> measures.</summary>
public enum ImportanceScore
{
    /// <summary>ROC AUC (scikit-learn's scoring="roc_auc"); the drop is baseline − permuted.</summary>
    RocAuc,

    /// <summary>Log loss, as scikit-learn's scoring="neg_log_loss": the drop is permuted − baseline loss.</summary>
    LogLoss,

    /// <summary>Brier score, as scoring="neg_brier_score": the drop is permuted − baseline.</summary>
    BrierScore,

    /// <summary>Accuracy at <see cref="PermutationImportanceOptions.Threshold"/>; the drop is baseline − permuted.</summary>
    Accuracy,
}

/// <summary>How <see cref="PermutationImportance.Compute"/> permutes and scores.</summary>
public sealed record PermutationImportanceOptions
{
    /// <summary>Permutations per feature (scikit-learn's n_repeats); the spread is taken over them.</summary>
    public int Repeats { get; init; } = 5;

    /// <summary>Seed of the permutations (scikit-learn's integer random_state: the same seed gives the same permutations).</summary>
    public uint Seed { get; init; }

    /// <summary>The score whose drop is the importance.</summary>
    public ImportanceScore Score { get; init; } = ImportanceScore.RocAuc;

    /// <summary>The decision threshold for <see cref="ImportanceScore.Accuracy"/>.</summary>
    public double Threshold { get; init; } = 0.5;
}

/// <summary>Features permuted together (a categorical column's one-hot features) and reported under one name.</summary>
/// <param name="Name">The name reported.</param>
/// <param name="Features">Indices of the feature columns, all permuted by the same row order.</param>
public sealed record FeatureGroup(string Name, IReadOnlyList<int> Features);

/// <summary>The importance of one feature (or group): how much the score drops when its values are shuffled across rows.</summary>
/// <param name="Name">The feature's (or group's) name.</param>
/// <param name="Mean">The mean drop over the repeats; near 0 (or below) when the model does not use the feature.</param>
/// <param name="StandardDeviation">The population standard deviation of the drops (numpy's std, as scikit-learn reports).</param>
/// <param name="Drops">The drop of each repeat.</param>
public sealed record FeatureImportance(string Name, double Mean, double StandardDeviation, IReadOnlyList<double> Drops);

/// <summary>
/// Permutation feature importance (Breiman; scikit-learn's <c>sklearn.inspection.permutation_importance</c>):
/// for each feature, shuffle its column across rows and measure how much the score drops, repeated with
/// fresh shuffles. Computed on held-out rows it says what the model relies on, not what it memorized.
/// With single-feature groups and the same seed, the permutations are scikit-learn's own (numpy's legacy
/// <c>RandomState</c>), so the numbers match it.
/// </summary>
public static class PermutationImportance
{
    /// <summary>
    /// Computes the importance of every group. <paramref name="predictProbabilities"/> maps row-major
    /// features (rows × cols) to one probability per row; it is called once for the baseline and once per
    /// group and repeat. <paramref name="features"/> is not modified. The result keeps the order of
    /// <paramref name="groups"/>.
    /// </summary>
    public static IReadOnlyList<FeatureImportance> Compute(Func<float[], int, float[]> predictProbabilities, float[] features, float[] labels,
        int rows, int cols, IReadOnlyList<FeatureGroup> groups, PermutationImportanceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(predictProbabilities);
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(groups);
        options ??= new PermutationImportanceOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Repeats, 1);
        if (rows < 1 || cols < 1 || features.Length != rows * cols)
            throw new ArgumentException($"PermutationImportance: expected {rows} rows × {cols} features, got {features.Length} values.", nameof(features));
        if (labels.Length != rows) throw new ArgumentException($"PermutationImportance: got {labels.Length} labels for {rows} rows.", nameof(labels));
        foreach (var g in groups)
            foreach (var f in g.Features)
                if (f < 0 || f >= cols) throw new ArgumentOutOfRangeException(nameof(groups), $"PermutationImportance: group '{g.Name}' names feature {f}; there are {cols}.");

        var baseline = Score(predictProbabilities(features, rows), labels, options);
        // scikit-learn draws one seed from random_state, then gives every feature a fresh RandomState(seed).
        var featureSeed = new MersenneTwister(options.Seed).NextUInt32() & 0x7FFFFFFF;
        var permuted = (float[])features.Clone();
        var order = new int[rows];
        var column = new float[rows];
        var result = new FeatureImportance[groups.Count];
        for (var g = 0; g < groups.Count; g++)
        {
            var random = new MersenneTwister(featureSeed);
            for (var i = 0; i < rows; i++) order[i] = i;
            var drops = new double[options.Repeats];
            for (var r = 0; r < options.Repeats; r++)
            {
                Shuffle(random, order);
                // As scikit-learn: the column is re-indexed in place, so each repeat permutes the previous one.
                foreach (var f in groups[g].Features)
                {
                    for (var i = 0; i < rows; i++) column[i] = permuted[(order[i] * cols) + f];
                    for (var i = 0; i < rows; i++) permuted[(i * cols) + f] = column[i];
                }
                drops[r] = baseline - Score(predictProbabilities(permuted, rows), labels, options);
            }
            foreach (var f in groups[g].Features)
                for (var i = 0; i < rows; i++) permuted[(i * cols) + f] = features[(i * cols) + f];
            var mean = drops.Average();
            var variance = drops.Sum(d => (d - mean) * (d - mean)) / drops.Length;
            result[g] = new FeatureImportance(groups[g].Name, mean, Math.Sqrt(variance), drops);
        }
        return result;
    }

    /// <summary>One group per feature, named by <paramref name="names"/>.</summary>
    public static IReadOnlyList<FeatureGroup> SingleFeatures(IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        return [.. names.Select(static (n, i) => new FeatureGroup(n, [i]))];
    }

    /// <summary>One group per column the preprocessing keeps, holding its encoded features (one for a number, one per category).</summary>
    public static IReadOnlyList<FeatureGroup> ByColumn(PreprocessingSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var groups = new List<FeatureGroup>();
        var next = 0;
        foreach (var c in spec.Columns)
        {
            if (c.Width == 0) continue;
            groups.Add(new FeatureGroup(c.Name, [.. Enumerable.Range(next, c.Width)]));
            next += c.Width;
        }
        return groups;
    }

    /// <summary>Higher is better, as scikit-learn's scorers (losses negated).</summary>
    private static double Score(float[] probabilities, float[] labels, PermutationImportanceOptions options)
    {
        var m = BinaryMetrics.Compute(probabilities, labels, options.Threshold);
        return options.Score switch
        {
            ImportanceScore.LogLoss => -m.LogLoss,
            ImportanceScore.BrierScore => -m.BrierScore,
            ImportanceScore.Accuracy => m.Accuracy,
            _ => m.RocAuc,
        };
    }

    /// <summary>numpy's legacy <c>RandomState.shuffle</c> of a 1-d array: Fisher–Yates from the end, j = random_interval(i).</summary>
    private static void Shuffle(MersenneTwister random, int[] order)
    {
        for (var i = order.Length - 1; i > 0; i--)
        {
            var j = (int)random.NextBounded((uint)i);
            (order[i], order[j]) = (order[j], order[i]);
        }
    }
}
