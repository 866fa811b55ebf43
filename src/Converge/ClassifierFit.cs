using Converge.Data;
using Converge.Evaluation;
using Converge.Training;

namespace Converge;

/// <summary>The result of fitting a <see cref="BinaryClassifier"/>.</summary>
/// <param name="Classifier">The trained model, ready to predict and save.</param>
/// <param name="Run">The training run: history, stop reason, elapsed time (for an ensemble, the first member's, or the one that diverged).</param>
/// <param name="Notices">What the preprocessing did (dropped columns, imputed values, encodings).</param>
/// <param name="ValidationMetrics">Metrics on the validation split (an ensemble's out-of-fold rows) at the chosen threshold, or null.</param>
/// <param name="BestF1Threshold">The threshold that maximizes validation F1, or null.</param>
/// <param name="BestF1">That F1.</param>
/// <param name="Train">The encoded training rows (before standardization); for an ensemble, the first member's.</param>
/// <param name="Validation">The encoded validation rows, or null; for an ensemble, the first member's fold.</param>
public sealed record ClassifierFit(
    BinaryClassifier Classifier,
    TrainingRun Run,
    IReadOnlyList<DataNotice> Notices,
    BinaryMetrics? ValidationMetrics,
    double? BestF1Threshold,
    double? BestF1,
    TrainingData Train,
    TrainingData? Validation)
{
    /// <summary>A cross-fitted ensemble's runs, one per member in member order (null for one network, whose run is <see cref="Run"/>).</summary>
    public IReadOnlyList<TrainingRun>? MemberRuns { get; init; }

    /// <summary>
    /// The scores behind <see cref="ValidationMetrics"/>: P(positive) of the validation rows (an ensemble's out-of-fold
    /// rows, all of them), calibrated by cross-validation when the model calibrates, so no row is scored by a fit that
    /// saw it; empty without validation.
    /// </summary>
    public float[] ValidationProbabilities { get; init; } = [];

    /// <summary>The 0/1 labels of <see cref="ValidationProbabilities"/>.</summary>
    public float[] ValidationLabels { get; init; } = [];

    /// <summary>
    /// Permutation importance on rows no scorer trained on: the validation split for one network; for a
    /// cross-fitted ensemble, the first member alone on its own fold (the other members trained on those
    /// rows, so the ensemble's baseline there would be optimistic). Null without validation rows of both classes.
    /// </summary>
    public IReadOnlyList<FeatureImportance>? ValidationImportance(PermutationImportanceOptions? options = null)
    {
        if (Validation is not { Rows: >= 2 } rows || !rows.Labels.Contains(1f) || !rows.Labels.Contains(0f)) return null;
        var scorer = MemberRuns is null ? Classifier : Classifier.Member(0);
        return scorer.PermutationImportance(rows, options ?? new PermutationImportanceOptions { Threshold = Classifier.Threshold });
    }

    /// <summary>Where <see cref="ValidationImportance"/> measures, in words.</summary>
    public string ImportanceRows => MemberRuns is null
        ? $"validation split ({Validation?.Rows ?? 0} rows)"
        : $"first member's own fold ({Validation?.Rows ?? 0} rows, scored by that member alone, which never trained on them)";

    /// <summary>The folds a cross-fit dealt the rows into (one member each; fewer members when Ctrl-C stopped it); 1 for one network on a hold-out.</summary>
    public int Folds { get; init; } = 1;

    /// <summary>How many networks the classifier averages.</summary>
    public int MemberCount => MemberRuns?.Count ?? 1;

    /// <summary>Training wall time of all members together.</summary>
    public double TrainingSeconds => MemberRuns?.Sum(static r => r.Elapsed.TotalSeconds) ?? Run.Elapsed.TotalSeconds;
}
