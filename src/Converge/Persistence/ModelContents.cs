using Converge.Data;
using Converge.Training;

namespace Converge.Persistence;

/// <summary>The standardization saved with a model: z = (x − Mean)/Scale per encoded feature.</summary>
/// <param name="Mean">Per-feature mean of the training rows.</param>
/// <param name="Scale">Per-feature divisor (standard deviation, or 1 for a constant feature).</param>
public sealed record ScalerState(double[] Mean, double[] Scale);

/// <summary>What a training run left behind, for <c>converge inspect</c> and for plots.</summary>
/// <param name="CreatedUtc">When the model was saved (ISO 8601).</param>
/// <param name="ConvergeVersion">Version of the library that trained it.</param>
/// <param name="Options">The training options that mattered, as readable strings.</param>
/// <param name="TrainRows">Rows used for training.</param>
/// <param name="ValidationRows">Rows held out for validation.</param>
/// <param name="EpochsRun">Epochs actually run.</param>
/// <param name="BestEpoch">The epoch whose weights were kept.</param>
/// <param name="StopReason">Completed, EarlyStopped, Diverged or Interrupted.</param>
/// <param name="Seconds">Training wall time.</param>
/// <param name="TrainLoss">Training loss per epoch.</param>
/// <param name="ValidationLoss">Validation loss per epoch (empty without validation).</param>
/// <param name="ValidationMetrics">Metrics on the validation split (accuracy, roc_auc, …); for an ensemble, on its out-of-fold predictions.</param>
/// <param name="MemberBestEpochs">For a cross-fitted ensemble, each member's kept epoch (null for one network).</param>
/// <param name="Decisions">What the defaults decided (columns, scaling, members, epochs, weight decay), in words; null in older files.</param>
/// <param name="TrainingRows">A sketch of the training rows, so evaluation can warn when it sees them; null in files written before it existed.</param>
public sealed record TrainingSummary(
    string CreatedUtc,
    string ConvergeVersion,
    IReadOnlyDictionary<string, string> Options,
    int TrainRows,
    int ValidationRows,
    int EpochsRun,
    int BestEpoch,
    string StopReason,
    double Seconds,
    double[] TrainLoss,
    double[] ValidationLoss,
    IReadOnlyDictionary<string, double> ValidationMetrics,
    IReadOnlyList<int>? MemberBestEpochs = null,
    IReadOnlyList<string>? Decisions = null,
    Evaluation.TrainingRowSketch? TrainingRows = null)
{
    /// <summary>Cross-validated log loss of each calibration method ("none", "platt", "isotonic") on the validation rows, when measured; null otherwise and in older files.</summary>
    public IReadOnlyDictionary<string, double>? CalibrationLogLoss { get; init; }

    /// <summary>The prefix of the decision that says whether and how probabilities are calibrated.</summary>
    public const string CalibrationDecisionPrefix = "calibration: ";

    /// <summary>What the fit decided about calibration, in words (the decision without its prefix); null in older files.</summary>
    public string? CalibrationDecision =>
        Decisions?.FirstOrDefault(static d => d.StartsWith(CalibrationDecisionPrefix, StringComparison.Ordinal))?[CalibrationDecisionPrefix.Length..];
}

/// <summary>Everything a Converge model file holds besides the raw format fields.</summary>
/// <param name="Architecture">The network to rebuild.</param>
/// <param name="Preprocessing">Columns, encoders, imputation values and the label mapping.</param>
/// <param name="Scaler">The standardization, or null when the model does not standardize.</param>
/// <param name="Threshold">Probability at or above which a row is predicted positive.</param>
/// <param name="Training">The training summary.</param>
/// <param name="State">Parameters and buffers by state-dictionary name (the first, or only, network).</param>
/// <param name="MoreMembers">A cross-fitted ensemble's other networks (same architecture), or null for one network.</param>
/// <param name="Calibration">The probability calibration applied after the networks (and after the ensemble mean), or null.</param>
public sealed record ModelContents(
    NetworkSpec Architecture,
    PreprocessingSpec Preprocessing,
    ScalerState? Scaler,
    double Threshold,
    TrainingSummary Training,
    IReadOnlyDictionary<string, float[]> State,
    IReadOnlyList<IReadOnlyDictionary<string, float[]>>? MoreMembers = null,
    ProbabilityCalibration? Calibration = null)
{
    /// <summary>How many networks the model averages: 1 plus <see cref="MoreMembers"/>.</summary>
    public int MemberCount => 1 + (MoreMembers?.Count ?? 0);
}
