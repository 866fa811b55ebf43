using Converge.Training;
using static Converge.Diagnosis.FindingCodes;

namespace Converge.Diagnosis;

/// <summary>
/// Checks on the feature matrix and labels before training, in one linear pass (plus a hash of each
/// row for duplicates): NaN/∞, scale and location per feature, constant features, class balance,
/// a single feature that separates the classes, duplicates, and rows per parameter.
/// </summary>
public static class DataChecks
{
    /// <summary>|mean|/std or the root mean square of a feature at or above this is "unscaled".</summary>
    public const double UnscaledRatio = 10;

    /// <summary>A feature whose root mean square is at or below this is "unscaled" (too small).</summary>
    public const double TinyScale = 0.01;

    /// <summary>max std / min std across features at or above this is "mixed-scales".</summary>
    public const double MixedScaleRatio = 1e3;

    /// <summary>std / max(|mean|, 1) below this (but above 0) is "near-constant".</summary>
    public const double NearConstantRatio = 1e-4;

    /// <summary>Minority-class share below this is "class-imbalance".</summary>
    public const double MinorityShare = 0.10;

    /// <summary>Share of rows repeating an earlier row at or above this is reported.</summary>
    public const double DuplicateShare = 0.05;

    /// <summary>More parameters than this many times the rows is a warning (more than the rows: info).</summary>
    public const double ParametersPerRow = 10;

    private const int Listed = 5;

    /// <summary>Runs every data check. <paramref name="options"/> says how the run will feed the features (default: the defaults).</summary>
    public static IReadOnlyList<Finding> Run(TrainingData data, IReadOnlyList<string>? featureNames = null, TrainingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        data.Validate("data");
        options ??= new TrainingOptions();
        var (rows, cols) = (data.Rows, data.Cols);
        var names = featureNames is { } given && given.Count == cols ? given : [.. Enumerable.Range(1, cols).Select(static i => $"f{i}")];
        var s = FeatureStats.Compute(data);
        var findings = new List<Finding>();

        NonFinite(s, names, findings);
        var positives = data.Labels.Count(static l => l == 1f);
        Balance(rows, positives, options, findings);
        Scale(s, names, options.Normalize, findings);
        Constant(s, names, options.Normalize, findings);
        if (positives > 0 && positives < rows) Separation(s, names, findings);
        Duplicates(data, findings);
        RowsPerParameter(rows, ParameterCount(cols, options), options.Patience > 0 && options.ValidationSplit > 0, findings);
        return findings;
    }

    /// <summary>Trainable parameters of the network the options describe on <paramref name="inputs"/> features.</summary>
    public static int ParameterCount(int inputs, TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var (count, width) = (options.Normalize == Normalization.BatchNorm ? 2 * inputs : 0, inputs);
        foreach (var h in options.Hidden.Append(1))
        {
            count += (width + 1) * h;
            width = h;
        }
        return count;
    }

    private static void NonFinite(FeatureStats s, IReadOnlyList<string> names, List<Finding> findings)
    {
        var bad = Enumerable.Range(0, s.Cols).Where(c => s.NonFinite[c] > 0).ToList();
        if (bad.Count == 0) return;
        var total = bad.Sum(c => (double)s.NonFinite[c]);
        var values = new Dictionary<string, double>(StringComparer.Ordinal) { ["nonFiniteValues"] = total, ["features"] = bad.Count };
        foreach (var c in bad.Take(Listed)) values[$"{names[c]}.nonFinite"] = s.NonFinite[c];
        findings.Add(new Finding(Severity.Error, NonFiniteValues,
            $"{total} NaN or infinite values in {bad.Count} feature(s): {List(bad, names)}.",
            values,
            $"{string.Join(", ", bad.Take(Listed).Select(c => $"{names[c]}: {s.NonFinite[c]} of {s.Rows} rows"))}; one NaN makes every loss and gradient NaN.",
            "A NaN input propagates through every layer: the first step turns the loss and all weights into NaN.",
            "Impute or drop those rows before training (the CSV path does this: --missing impute fills medians); in code, replace NaN before TrainingData."));
    }

    private static void Balance(int rows, int positives, TrainingOptions options, List<Finding> findings)
    {
        var minority = Math.Min(positives, rows - positives);
        var share = minority / (double)rows;
        var values = new Dictionary<string, double>(StringComparer.Ordinal) { ["rows"] = rows, ["positives"] = positives, ["minorityShare"] = share };
        if (minority == 0)
        {
            findings.Add(new Finding(Severity.Error, SingleClass, "Every training row has the same label.", values,
                $"{positives} positives in {rows} rows.", "With one class there is nothing to separate; the loss is minimized by a constant.",
                "Check the --label column and the rows kept; a classifier needs both classes in the training split."));
            return;
        }
        if (share >= MinorityShare) return;
        var weighted = options.PosWeight is not null;
        findings.Add(new Finding(weighted ? Severity.Info : Severity.Warning, ClassImbalance,
            $"The minority class is {Pct(share)} of the rows{(weighted ? "; a positive-class weight is set" : "")}.",
            values,
            $"{minority} of {rows} rows are the minority class ({Pct(share)} < {Pct(MinorityShare)}).",
            "The loss is dominated by the majority class: predicting it everywhere scores a low loss and high accuracy while finding none of the minority.",
            "--pos-weight auto (TrainingOptions.PosWeight = double.NaN: #negatives/#positives) and --threshold best-f1; judge by PR-AUC and F1, not accuracy."));
    }

    private static void Scale(FeatureStats s, IReadOnlyList<string> names, Normalization normalize, List<Finding> findings)
    {
        var raw = normalize == Normalization.None;
        var handled = normalize == Normalization.Standard ? "standardization (--normalize standard) will handle it" : "the input BatchNorm1d will handle it";
        var unscaled = Enumerable.Range(0, s.Cols).Where(c => s.Std[c] > 0 && IsUnscaled(s.Mean[c], s.Std[c])).ToList();
        if (unscaled.Count > 0)
        {
            var values = new Dictionary<string, double>(StringComparer.Ordinal) { ["unscaledFeatures"] = unscaled.Count };
            foreach (var c in unscaled.Take(Listed))
                (values[$"{names[c]}.mean"], values[$"{names[c]}.std"]) = (s.Mean[c], s.Std[c]);
            findings.Add(new Finding(raw ? Severity.Warning : Severity.Info, UnscaledInput,
                raw ? $"Unscaled input features reach the network raw: {List(unscaled, names)}."
                    : $"Unscaled input features ({List(unscaled, names)}); {handled}.",
                values,
                string.Join("; ", unscaled.Take(Listed).Select(c => $"{names[c]}: mean {G(s.Mean[c])}, std {G(s.Std[c])}")) +
                $" (flagged when |mean|/std or √(mean²+std²) ≥ {G(UnscaledRatio)}, or √(mean²+std²) ≤ {G(TinyScale)}).",
                "With PyTorch's U(±1/√n) initialization, inputs far from unit scale put the first layer's pre-activations far from 0: sigmoid/tanh units saturate, " +
                "gradients for the weights and the bias differ by the input's magnitude, and one learning rate cannot suit both; training crawls.",
                "--normalize standard (fits (x − mean)/std on the training split), or --normalize batchnorm; in code: new BatchNorm1d(n) before the first Linear."));
        }
        var spread = Enumerable.Range(0, s.Cols).Where(c => s.Std[c] > 0).ToList();
        if (spread.Count < 2) return;
        var (hi, lo) = (spread.MaxBy(c => s.Std[c]), spread.MinBy(c => s.Std[c]));
        var ratio = s.Std[hi] / s.Std[lo];
        if (ratio < MixedScaleRatio) return;
        findings.Add(new Finding(raw ? Severity.Warning : Severity.Info, MixedScales,
            raw ? $"Feature scales differ by a factor of {G(ratio)}." : $"Feature scales differ by a factor of {G(ratio)}; {handled}.",
            new Dictionary<string, double>(StringComparer.Ordinal) { ["stdRatio"] = ratio, [$"{names[hi]}.std"] = s.Std[hi], [$"{names[lo]}.std"] = s.Std[lo] },
            $"largest std {G(s.Std[hi])} ({names[hi]}), smallest {G(s.Std[lo])} ({names[lo]}); ratio {G(ratio)} ≥ {G(MixedScaleRatio)}.",
            "The loss surface is stretched along the large feature: a learning rate small enough for it barely moves the weights of the small ones.",
            "--normalize standard, or --normalize batchnorm; in code: new BatchNorm1d(n) before the first Linear."));
    }

    internal static bool IsUnscaled(double mean, double std)
    {
        var rms = Math.Sqrt(mean * mean + std * std);
        return Math.Abs(mean) / std >= UnscaledRatio || rms >= UnscaledRatio || rms <= TinyScale;
    }

    private static void Constant(FeatureStats s, IReadOnlyList<string> names, Normalization normalize, List<Finding> findings)
    {
        var constant = Enumerable.Range(0, s.Cols).Where(c => s.Finite[c] > 0 && s.Std[c] == 0).ToList();
        if (constant.Count > 0)
            findings.Add(new Finding(Severity.Warning, ConstantFeature, $"Constant feature(s): {List(constant, names)}.",
                new Dictionary<string, double>(StringComparer.Ordinal) { ["constantFeatures"] = constant.Count },
                string.Join("; ", constant.Take(Listed).Select(c => $"{names[c]} is {G(s.Mean[c])} on every row")),
                "A constant column carries no information; it only adds weights (and, unstandardized, acts as a second bias).",
                $"--ignore {string.Join(",", constant.Select(c => names[c]))}"));
        var near = Enumerable.Range(0, s.Cols).Where(c => s.Std[c] > 0 && s.Std[c] / Math.Max(Math.Abs(s.Mean[c]), 1) < NearConstantRatio).ToList();
        if (near.Count > 0)
            findings.Add(new Finding(Severity.Info, NearConstantFeature, $"Nearly constant feature(s): {List(near, names)}.",
                new Dictionary<string, double>(StringComparer.Ordinal) { ["nearConstantFeatures"] = near.Count },
                string.Join("; ", near.Take(Listed).Select(c => $"{names[c]}: mean {G(s.Mean[c])}, std {G(s.Std[c])}")) + $" (std/max(|mean|, 1) < {G(NearConstantRatio)})",
                normalize == Normalization.Standard
                    ? "Standardization divides by a tiny std and magnifies noise or rounding in that column."
                    : "The column barely varies, so its weight learns almost nothing.",
                $"Check the column; if it is noise: --ignore {string.Join(",", near.Select(c => names[c]))}"));
    }

    private static void Separation(FeatureStats s, IReadOnlyList<string> names, List<Finding> findings)
    {
        var separating = Enumerable.Range(0, s.Cols).Where(s.Separates).ToList();
        if (separating.Count == 0) return;
        var c0 = separating[0];
        var threshold = s.SeparatingThreshold(c0);
        var values = new Dictionary<string, double>(StringComparer.Ordinal) { ["separatingFeatures"] = separating.Count, [$"{names[c0]}.threshold"] = threshold };
        if (s.Cols == 1)
        {
            findings.Add(new Finding(Severity.Info, SeparableByOneFeature, $"The only feature, {names[c0]}, separates the classes perfectly at {G(threshold)}.",
                values, $"every positive is on one side of {names[c0]} = {G(threshold)} and every negative on the other.",
                "The task is a threshold rule; a well-trained model should approach 100 % accuracy and a training loss near 0.",
                "Nothing to fix; if the model stays far from that, see the other findings."));
            return;
        }
        findings.Add(new Finding(Severity.Warning, PossibleLeakage, $"A single feature separates the classes perfectly: {List(separating, names)}.",
            values, $"a threshold at {names[c0]} = {G(threshold)} classifies every training row correctly.",
            "A feature that alone predicts the label perfectly is often derived from the label (leakage) and will not be available, or not be so clean, at prediction time.",
            $"Check how {names[c0]} is produced; if it is computed from the label or recorded after the outcome: --ignore {names[c0]}"));
    }

    private static void Duplicates(TrainingData data, List<Finding> findings)
    {
        // With one or two features repeated values are expected, not a data problem.
        if (data.Cols < 3) return;
        var seen = new Dictionary<int, int>(new RowComparer(data.Features, data.Cols));
        var (duplicates, conflicting) = (0, 0);
        for (var r = 0; r < data.Rows; r++)
        {
            if (!seen.TryAdd(r, r))
            {
                duplicates++;
                if (data.Labels[seen[r]] != data.Labels[r]) conflicting++;
            }
        }
        var share = duplicates / (double)data.Rows;
        if (share < DuplicateShare) return;
        findings.Add(new Finding(Severity.Info, DuplicateRows, $"{Pct(share)} of the rows repeat an earlier row.",
            new Dictionary<string, double>(StringComparer.Ordinal) { ["duplicates"] = duplicates, ["share"] = share, ["conflictingLabels"] = conflicting },
            $"{duplicates} of {data.Rows} rows are exact copies of an earlier row's features; {conflicting} of them carry the other label.",
            "Copies land in both the training and the validation split, so validation scores are optimistic; copies with opposite labels set a floor on the loss.",
            "Deduplicate the CSV before training if the copies are not real repeated observations."));
    }

    private static void RowsPerParameter(int rows, int parameters, bool earlyStopping, List<Finding> findings)
    {
        if (parameters <= rows) return;
        // Early stopping keeps the best validation epoch, so a wide network stops before it memorizes
        // (the Best preset's 128,128 members on a few hundred rows); without it the excess is a warning.
        var warn = parameters > ParametersPerRow * rows && !earlyStopping;
        findings.Add(new Finding(warn ? Severity.Warning : Severity.Info, TooFewRows, $"{parameters} parameters for {rows} training rows.",
            new Dictionary<string, double>(StringComparer.Ordinal) { ["parameters"] = parameters, ["rows"] = rows, ["parametersPerRow"] = parameters / (double)rows },
            $"{G(parameters / (double)rows)} parameters per row (warning above {G(ParametersPerRow)} without early stopping; early stopping is {(earlyStopping ? "on" : "off")}).",
            "A network with many more weights than rows can memorize the training rows instead of learning the pattern.",
            "A smaller network (--hidden 8), more rows, weight decay (--weight-decay 1e-3), and keep early stopping on (--patience 30)."));
    }

    private static string List(List<int> columns, IReadOnlyList<string> names) =>
        string.Join(", ", columns.Take(Listed).Select(c => names[c])) + (columns.Count > Listed ? $" and {columns.Count - Listed} more" : "");

    private sealed class RowComparer(float[] data, int cols) : IEqualityComparer<int>
    {
        public bool Equals(int x, int y) => data.AsSpan(x * cols, cols).SequenceEqual(data.AsSpan(y * cols, cols));

        public int GetHashCode(int obj)
        {
            var hash = new HashCode();
            foreach (var v in data.AsSpan(obj * cols, cols)) hash.Add(v);
            return hash.ToHashCode();
        }
    }
}
