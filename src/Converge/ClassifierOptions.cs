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

/// <summary>How much training a model gets when no option says otherwise.</summary>
public enum TrainingPreset
{
    /// <summary>
    /// The default: a cross-fitted ensemble (<see cref="ClassifierOptions.DefaultMembers"/> networks, each
    /// trained on all but one fold of the rows and early-stopped on that fold; their probabilities are
    /// averaged), so every row is used for training and the validation metrics are out-of-fold over all
    /// rows; each member is the tuned network of <see cref="ClassifierOptions.BestTraining"/>. Chosen by
    /// measurement on the quality benchmark (bench/results/quality/README.md). Above
    /// <see cref="ClassifierOptions.MaxCrossFitRows"/> rows it trains one such network on the validation split.
    /// </summary>
    Best,

    /// <summary>
    /// One network (<see cref="TrainingOptions"/>' own defaults: 16,16, Adam at 3e-3) trained on the rows
    /// outside the validation split (<see cref="TrainingOptions.ValidationSplit"/>) and early-stopped on it:
    /// the behaviour before Best became the default, about a tenth of its training time.
    /// </summary>
    Fast,
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

    /// <summary>
    /// How numeric columns are scaled in the preprocessing: raw numbers by default (standardized later by
    /// <see cref="TrainingOptions.Normalize"/>); Robust = median/IQR with smooth clipping. Measured on the
    /// quality benchmark, Robust lowered the log loss on skewed tables but ranked worse on ROC AUC, so it is not the default.
    /// </summary>
    public NumericScaling Scaling { get; init; } = NumericScaling.None;

    /// <summary>Missing-value indicators for numeric columns and a missing level for categorical ones (off by default).</summary>
    public bool MissingIndicators { get; init; }

    /// <summary>
    /// Network, optimizer, schedule, split and stopping options: unless set, <see cref="Preset"/> decides
    /// (<see cref="BestTraining"/> for Best, <c>new TrainingOptions()</c> for Fast). To change one value
    /// of the default, start from the preset's: <c>Training = ClassifierOptions.BestTraining with { Seed = 7 }</c>.
    /// </summary>
    public TrainingOptions Training
    {
        get => _training ?? TrainingFor(Preset);
        init => _training = value;
    }

    private readonly TrainingOptions? _training;

    /// <summary>How the decision threshold is chosen (0.5 or the validation best-F1 threshold).</summary>
    public ThresholdRule Threshold { get; init; } = ThresholdRule.Half;

    /// <summary>
    /// Probability calibration after training: null (the default) measures Platt scaling and isotonic regression by
    /// cross-validation on the validation (or out-of-fold) rows and applies the better one only when it lowers log loss
    /// by at least 1 %; <see cref="CalibrationMethod.None"/> never calibrates; Platt or Isotonic forces that method.
    /// </summary>
    public CalibrationMethod? Calibration { get; init; }

    /// <summary>Best (a cross-fitted ensemble of tuned networks, the default) or Fast (one network with a validation split).</summary>
    public TrainingPreset Preset { get; init; } = TrainingPreset.Best;

    /// <summary>
    /// Networks in the cross-fitted ensemble: 0 lets <see cref="Preset"/> decide (<see cref="DefaultMembers"/>
    /// for Best, 1 for Fast); 1 trains one network with a validation split; k ≥ 2 cross-fits k networks.
    /// </summary>
    public int Members { get; init; }

    /// <summary>The ensemble size of the Best preset.</summary>
    public const int DefaultMembers = 5;

    /// <summary>
    /// The most rows the Best preset cross-fits. Cross-fitting is the win of small tables (every row trains and
    /// validates, noisy early stopping averages out); a larger table trains one network of <see cref="BestTraining"/>
    /// on a validation split, which already has rows to spare, at a fifth of the time and without the members' copies
    /// of the data. An explicit <see cref="Members"/> is honoured at any size.
    /// </summary>
    public const int MaxCrossFitRows = 20_000;

    /// <summary>
    /// Each member network of the Best preset, as tuned on the quality benchmark (bench/results/quality/README.md
    /// has the runs behind every value): 128,128 hidden units (wider than Fast's 16,16: on the
    /// small tables the wider members ranked better) at learning rate 1e-3; the rest as <see cref="TrainingOptions"/>.
    /// </summary>
    public static TrainingOptions BestTraining => new()
    {
        Hidden = [128, 128],
        LearningRate = 1e-3,
    };

    /// <summary>The training options a preset uses when <see cref="Training"/> is not set.</summary>
    public static TrainingOptions TrainingFor(TrainingPreset preset) => preset == TrainingPreset.Best ? BestTraining : new TrainingOptions();

    /// <summary>The members the fit will train on a table of <paramref name="rows"/> rows whose smaller class has <paramref name="minority"/> rows (each fold needs one row of each class).</summary>
    public int ResolveMembers(int rows, int minority)
    {
        if (Members == 0 && Preset == TrainingPreset.Best && rows > MaxCrossFitRows) return 1;
        var wanted = Members > 0 ? Members : Preset == TrainingPreset.Fast ? 1 : DefaultMembers;
        if (wanted <= 1) return 1;
        var k = Math.Min(Math.Min(wanted, minority), rows / 2);
        return k >= 2 ? k : 1;
    }

    /// <summary>Checks <see cref="Members"/>; <see cref="TrainingOptions.Validate"/> checks the rest.</summary>
    public void Validate()
    {
        if (Members is < 0 or > Persistence.ModelFile.MaxMembers)
            throw new ArgumentOutOfRangeException(nameof(Members), $"Members must be 0 (the preset decides) to {Persistence.ModelFile.MaxMembers}, got {Members}.");
    }

    internal PreprocessorOptions Preprocessing => new() { Label = Label, Positive = Positive, Ignore = Ignore, Keep = Keep, MissingPolicy = Missing, Scaling = Scaling, MissingIndicators = MissingIndicators };
}
