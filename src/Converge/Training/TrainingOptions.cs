namespace Converge.Training;

/// <summary>How the inputs are put on a common scale before the first layer.</summary>
public enum Normalization
{
    /// <summary>(x − mean)/std per feature, fitted on the training split and saved with the model.</summary>
    Standard,

    /// <summary>A BatchNorm1d layer on the raw inputs: learns the scaling during training.</summary>
    BatchNorm,

    /// <summary>Raw inputs (the question's failing setting).</summary>
    None,
}

/// <summary>The training objective.</summary>
public enum LossKind
{
    /// <summary>BceWithLogitsLoss on a logit output: numerically stable (the default).</summary>
    BceWithLogits,

    /// <summary>Sigmoid output and BceLoss, as in the question.</summary>
    Bce,
}

/// <summary>The optimizer of a tabular training run.</summary>
public enum OptimizerKind
{
    /// <summary>Adam, with L2 weight decay.</summary>
    Adam,

    /// <summary>AdamW, with decoupled weight decay.</summary>
    AdamW,

    /// <summary>SGD, with optional momentum and L2 weight decay.</summary>
    Sgd,
}

/// <summary>The learning-rate schedule of a tabular training run.</summary>
public enum ScheduleKind
{
    /// <summary>A constant learning rate.</summary>
    None,

    /// <summary>StepLR: multiply by gamma every step size epochs.</summary>
    Step,

    /// <summary>CosineAnnealingLR over the epochs, down to the minimum rate.</summary>
    Cosine,

    /// <summary>ReduceLROnPlateau on the validation loss.</summary>
    Plateau,
}

/// <summary>A learning-rate schedule and its parameters; values left at 0 take sensible defaults.</summary>
/// <param name="Kind">Which schedule.</param>
/// <param name="StepSize">StepLr: epochs between decays (default: a third of the epochs).</param>
/// <param name="Gamma">StepLr: decay factor.</param>
/// <param name="MinLearningRate">Cosine: the floor η_min. Plateau: the lowest rate.</param>
/// <param name="Patience">Plateau: epochs without improvement of the validation loss before a cut.</param>
/// <param name="Factor">Plateau: multiplier applied at each cut.</param>
public sealed record ScheduleOptions(
    ScheduleKind Kind = ScheduleKind.None,
    int StepSize = 0,
    double Gamma = 0.1,
    double MinLearningRate = 0,
    int Patience = 5,
    double Factor = 0.5);

/// <summary>
/// Everything that shapes a training run of one network, with sensible defaults: standardized
/// inputs, the stable logits loss, Adam, minibatches, a validation split and early stopping. These are
/// the Fast preset's values; the default of BinaryClassifier.Fit (the Best preset) trains members with
/// ClassifierOptions.BestTraining instead.
/// </summary>
public sealed record TrainingOptions
{
    /// <summary>Width of each hidden layer.</summary>
    public int[] Hidden { get; init; } = [16, 16];

    /// <summary>The hidden layers' nonlinearity.</summary>
    public Activation Activation { get; init; } = Activation.Relu;

    /// <summary>Maximum number of passes over the training data.</summary>
    public int Epochs { get; init; } = 300;

    /// <summary>Rows per minibatch; 0 means the whole training set (full batch).</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>The optimizer's learning rate.</summary>
    public double LearningRate { get; init; } = 3e-3;

    /// <summary>Adam (default), AdamW or SGD.</summary>
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Adam;

    /// <summary>L2 (Adam, SGD) or decoupled (AdamW) weight decay; 0 means AdamW's default 0.01 for AdamW.</summary>
    public double WeightDecay { get; init; }

    /// <summary>SGD momentum.</summary>
    public double Momentum { get; init; } = 0.9;

    /// <summary>The learning-rate schedule.</summary>
    public ScheduleOptions Schedule { get; init; } = new();

    /// <summary>Standardization fitted on the training split (default), a BatchNorm1d input layer, or none.</summary>
    public Normalization Normalize { get; init; } = Normalization.Standard;

    /// <summary>Logits loss (BCEWithLogitsLoss, default) or BCE on a sigmoid output.</summary>
    public LossKind Loss { get; init; } = LossKind.BceWithLogits;

    /// <summary>Weight of the positive class in the logits loss; null for none, NaN for "auto" (#neg/#pos).</summary>
    public double? PosWeight { get; init; }

    /// <summary>Fraction of rows held out (stratified) for validation and early stopping; 0 for none.</summary>
    public double ValidationSplit { get; init; } = 0.2;

    /// <summary>Epochs without a better validation loss before stopping (best weights restored); 0 disables.</summary>
    public int Patience { get; init; } = 30;

    /// <summary>Clip the global gradient norm to this value; 0 disables.</summary>
    public double GradientClip { get; init; }

    /// <summary>Seed for the split, the initialization and the shuffling.</summary>
    public ulong Seed { get; init; } = 42;

    /// <summary>Record diagnosis monitors (gradient norms, saturation) every this many epochs; 0 disables.</summary>
    public int MonitorEvery { get; init; } = 10;

    /// <summary>
    /// Applied to the freshly built network before the first step (a custom initialization); null keeps
    /// PyTorch's default. The diagnosis uses it to plant a bad init and to replay a run's exact start.
    /// </summary>
    public Action<Modules.Sequential>? Initialize { get; init; }

    /// <summary>
    /// A request to stop early, e.g. a first Ctrl-C: once signalled, training ends after the current
    /// epoch with <see cref="StopReason.Interrupted"/>, keeping the best weights so far as early
    /// stopping does. (The cancellation token of <see cref="TabularRecipe.Fit"/> instead aborts with nothing kept.)
    /// </summary>
    public CancellationToken StopRequest { get; init; }

    /// <summary>Checks the options and throws with a message naming the bad value.</summary>
    public void Validate()
    {
        if (Epochs <= 0) throw new ArgumentOutOfRangeException(nameof(Epochs), $"Epochs must be positive, got {Epochs}.");
        if (BatchSize < 0) throw new ArgumentOutOfRangeException(nameof(BatchSize), $"Batch size must be ≥ 0 (0 = full batch), got {BatchSize}.");
        if (BatchSize == 1 && Normalize == Normalization.BatchNorm)
            throw new ArgumentOutOfRangeException(nameof(BatchSize), "Batch size 1 cannot train a BatchNorm1d (it needs more than one row per batch); use a larger batch or another normalization.");
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate)) throw new ArgumentOutOfRangeException(nameof(LearningRate), $"Learning rate must be a positive number, got {LearningRate}.");
        if (!(ValidationSplit is >= 0 and < 1)) throw new ArgumentOutOfRangeException(nameof(ValidationSplit), $"Validation split must be in [0, 1), got {ValidationSplit}.");
        if (Patience < 0) throw new ArgumentOutOfRangeException(nameof(Patience), $"Patience must be ≥ 0, got {Patience}.");
        if (PosWeight is { } pw && !double.IsNaN(pw) && !(pw > 0)) throw new ArgumentOutOfRangeException(nameof(PosWeight), $"Positive-class weight must be > 0, got {pw}.");
        if (PosWeight is not null && Loss != LossKind.BceWithLogits) throw new ArgumentException("A positive-class weight needs the bce-logits loss.", nameof(PosWeight));
        foreach (var h in Hidden)
            if (h <= 0) throw new ArgumentOutOfRangeException(nameof(Hidden), $"Hidden layer widths must be positive, got {h}.");
        // The input count is known only after preprocessing; the hidden layers alone must already fit (one input).
        if (new NetworkSpec(1, Hidden, Activation, false, false).ParameterCount() > NetworkSpec.MaxParameters)
            throw new ArgumentOutOfRangeException(nameof(Hidden), $"Hidden layers [{string.Join(",", Hidden)}] need more than {NetworkSpec.MaxParameters:N0} parameters, the limit.");
        if (!(WeightDecay >= 0) || double.IsInfinity(WeightDecay)) throw new ArgumentOutOfRangeException(nameof(WeightDecay), $"Weight decay must be a finite number ≥ 0, got {WeightDecay}.");
        if (!(Momentum is >= 0 and < 1)) throw new ArgumentOutOfRangeException(nameof(Momentum), $"Momentum must be in [0, 1), got {Momentum}.");
        if (!(GradientClip >= 0) || double.IsInfinity(GradientClip)) throw new ArgumentOutOfRangeException(nameof(GradientClip), $"Gradient clipping must be a finite number ≥ 0 (0 = off), got {GradientClip}.");
        if (Schedule.StepSize < 0) throw new ArgumentOutOfRangeException(nameof(Schedule), $"Step schedule: the step size must be ≥ 0 (0 = a third of the epochs), got {Schedule.StepSize}.");
        if (!(Schedule.Gamma > 0) || double.IsInfinity(Schedule.Gamma)) throw new ArgumentOutOfRangeException(nameof(Schedule), $"Step schedule: gamma must be a finite number > 0, got {Schedule.Gamma}.");
        if (!(Schedule.Factor is >= 0 and < 1)) throw new ArgumentOutOfRangeException(nameof(Schedule), $"Plateau schedule: the factor must be in [0, 1), got {Schedule.Factor}.");
        if (Schedule.Patience < 0) throw new ArgumentOutOfRangeException(nameof(Schedule), $"Plateau schedule: patience must be ≥ 0, got {Schedule.Patience}.");
        if (!(Schedule.MinLearningRate >= 0) || double.IsInfinity(Schedule.MinLearningRate)) throw new ArgumentOutOfRangeException(nameof(Schedule), $"The schedule's minimum learning rate must be a finite number ≥ 0, got {Schedule.MinLearningRate}.");
    }
}
