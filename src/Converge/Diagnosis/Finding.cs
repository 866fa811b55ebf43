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

/// <summary>
/// A remedy put to the test: the same data, seed and step budget, trained once as configured and once
/// with the remedy applied. A remedy that did not help is reported as such (<see cref="Improved"/> false).
/// </summary>
/// <param name="Tried">What was changed, e.g. "--normalize standard instead of none".</param>
/// <param name="Metric">What was compared, e.g. "training log loss" (lower is better) or "balanced accuracy".</param>
/// <param name="Baseline">The metric after the run as configured.</param>
/// <param name="Remedied">The metric after the run with the remedy.</param>
/// <param name="Epochs">Epochs each run trained (the same for both).</param>
/// <param name="Steps">Optimizer steps each run took (the same for both unless one diverged).</param>
/// <param name="Gain">Improvement in the metric's good direction: relative for a loss ((baseline − remedied)/baseline), absolute for an accuracy; negative when the remedy hurt.</param>
/// <param name="Improved">True when the gain is at least 1 % (loss) or 0.01 (accuracy).</param>
/// <param name="Note">Anything that qualifies the comparison (a run diverged, selection on validation rows), or null.</param>
public sealed record Confirmation(
    string Tried,
    string Metric,
    double Baseline,
    double Remedied,
    int Epochs,
    int Steps,
    double Gain,
    bool Improved,
    string? Note = null);
