using Converge.Data;
using Converge.Training;

namespace Converge;

/// <summary>How the decision threshold is chosen after training.</summary>
public enum ThresholdRule
{
    /// <summary>0.5 on the predicted probability.</summary>
    Half,

    /// <summary>The threshold that maximizes F1 on the validation split (falls back to 0.5 without one).</summary>
    BestF1,
}

/// <summary>Everything <see cref="BinaryClassifier.Fit(CsvTable, ClassifierOptions, IProgress{EpochLog}?, CancellationToken)"/> needs.</summary>
public sealed record ClassifierOptions
{
    /// <summary>The label column: two distinct values (0/1, true/false, yes/no or any two strings).</summary>
    public required string Label { get; init; }

    /// <summary>
    /// The label value that is the positive class, whose probability is predicted and whose
    /// precision, recall and F1 are reported (e.g. "bad" for credit risk); null applies
    /// <see cref="LabelMapping"/>'s rule (the larger number, true, yes, else the later value in sort order).
    /// </summary>
    public string? Positive { get; init; }

    /// <summary>Columns to leave out of the features.</summary>
    public IReadOnlyList<string> Ignore { get; init; } = [];

    /// <summary>String columns to keep as categorical even when they look like ids or free text.</summary>
    public IReadOnlyList<string> Keep { get; init; } = [];

    /// <summary>Impute missing values (default) or treat them as an error.</summary>
    public MissingPolicy Missing { get; init; } = MissingPolicy.Impute;

    public TrainingOptions Training { get; init; } = new();

    public ThresholdRule Threshold { get; init; } = ThresholdRule.Half;

    internal PreprocessorOptions Preprocessing => new() { Label = Label, Positive = Positive, Ignore = Ignore, Keep = Keep, MissingPolicy = Missing };
}
