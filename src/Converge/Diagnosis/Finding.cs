namespace Converge.Diagnosis;

/// <summary>How much a finding matters.</summary>
public enum Severity
{
    /// <summary>Worth knowing; nothing to fix (or the current settings already handle it).</summary>
    Info,

    /// <summary>Likely to slow or spoil training; the remedy is advised.</summary>
    Warning,

    /// <summary>Training cannot work as set up (NaN in the data, divergence, every unit dead).</summary>
    Error,
}

/// <summary>One named reason why a model does (or may) not learn, with the numbers that show it.</summary>
/// <param name="Severity">How much it matters.</param>
/// <param name="Code">Stable identifier, e.g. "unscaled-input"; documented in docs/diagnosis.md.</param>
/// <param name="Message">One sentence for a person.</param>
/// <param name="Values">The measured numbers behind the finding, by name (for scripts and tests).</param>
/// <param name="Evidence">The same numbers in words, with the threshold they crossed.</param>
/// <param name="Cause">Why this stops or slows learning.</param>
/// <param name="Remedy">The exact CLI option or code that fixes it, e.g. "--normalize standard".</param>
/// <param name="Confirmation">The counterfactual run that tested the remedy, or null when none was run.</param>
public sealed record Finding(
    Severity Severity,
    string Code,
    string Message,
    IReadOnlyDictionary<string, double> Values,
    string Evidence,
    string Cause,
    string Remedy,
    Confirmation? Confirmation = null);

/// <summary>Whether the best remedy the doctor tried reached a healthy model (see docs/diagnosis.md, "Remedy search").</summary>
public enum RemedyOutcome
{
    /// <summary>No remedy tried did better than the run as configured (or every result stayed at the base-rate loss).</summary>
    NotHelped,

    /// <summary>The best remedy did better, clearly below the base-rate loss, but not yet at the healthy level.</summary>
    Improved,

    /// <summary>The best remedy did better and reached the healthy level.</summary>
    Repaired,
}

/// <summary>
/// A remedy put to the test: the run as configured (the user's own run) against the same data and seed trained
/// with the remedy, scored on the same rows with the same metric.
/// </summary>
/// <param name="Tried">What was changed, e.g. "standardize the inputs + learning rate 0.01".</param>
/// <param name="Metric">What was compared, e.g. "training log loss" (lower is better) or "balanced accuracy".</param>
/// <param name="Baseline">The metric of the run as configured.</param>
/// <param name="Remedied">The metric of the run with the remedy.</param>
/// <param name="Epochs">Epochs the remedied run trained (at most the run's own).</param>
/// <param name="Steps">Optimizer steps the remedied run took.</param>
/// <param name="Gain">Improvement in the metric's good direction: relative for a loss ((baseline − remedied)/baseline), absolute for an accuracy; negative when the remedy hurt.</param>
/// <param name="Improved">True when the outcome is <see cref="RemedyOutcome.Improved"/> or <see cref="RemedyOutcome.Repaired"/>.</param>
/// <param name="Note">Anything that qualifies the comparison (a run diverged, the run was already healthy), or null.</param>
public sealed record Confirmation(
    string Tried,
    string Metric,
    double Baseline,
    double Remedied,
    int Epochs,
    int Steps,
    double Gain,
    bool Improved,
    string? Note = null)
{
    /// <summary>Repaired, improved or not helped, against <see cref="HealthyLevel"/> and <see cref="BaseRateLoss"/>.</summary>
    public RemedyOutcome Outcome { get; init; }

    /// <summary>The remedy as CLI flags, e.g. "--normalize standard --lr 0.01".</summary>
    public string Flags { get; init; } = "";

    /// <summary>The remedy as C# on the run's <see cref="Training.TrainingOptions"/>, e.g. "options with { Normalize = Normalization.Standard }".</summary>
    public string Code { get; init; } = "";

    /// <summary>The healthy level of the metric (a loss at or below it, an accuracy at or above it is healthy).</summary>
    public double HealthyLevel { get; init; } = double.NaN;

    /// <summary>What the healthy level is, in words (e.g. "within 10 % of the 0.12 Converge's defaults reach").</summary>
    public string HealthyBasis { get; init; } = "";

    /// <summary>Log loss on the scored rows of always predicting the training positive rate (NaN for an accuracy metric).</summary>
    public double BaseRateLoss { get; init; } = double.NaN;

    /// <summary>Epochs the run as configured trained.</summary>
    public int BaselineEpochs { get; init; }
}
