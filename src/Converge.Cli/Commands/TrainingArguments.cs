using System.CommandLine;
using System.Globalization;
using Converge.Data;
using Converge.Training;

namespace Converge.Cli.Commands;

/// <summary>
/// The data and training options shared by every command that trains (train, diagnose): declared
/// once, added to each command, and read back into a <see cref="ClassifierOptions"/>.
/// </summary>
public sealed class TrainingArguments
{
    private static readonly TrainingOptions Defaults = new();

    public Argument<string> Data { get; } = new("data") { Description = "The training CSV (header row expected); - reads standard input." };
    public Option<string> Label { get; } = new("--label", "-l") { Description = "The label column: two distinct values.", Required = true };
    public Option<string?> Positive { get; } = new("--positive") { Description = "The label value that is the positive class (default: the larger number, true, yes, else the later value in sort order)." };
    public Option<string?> Ignore { get; } = new("--ignore") { Description = "Comma-separated columns to leave out." };
    public Option<string?> Keep { get; } = new("--keep") { Description = "Comma-separated text columns to keep as categories." };
    /// <summary>--no-header, --encoding, --decimal-comma.</summary>
    public CsvInput Csv { get; } = new();
    public Option<string> Missing { get; } = new("--missing") { Description = "impute (median / most frequent) or error.", DefaultValueFactory = _ => "impute" };
    public Option<string> Hidden { get; } = new("--hidden") { Description = "Hidden layer widths, e.g. 16,16 (empty for logistic regression).", DefaultValueFactory = _ => string.Join(",", Defaults.Hidden) };
    public Option<string> Activation { get; } = new("--activation") { Description = "relu, tanh, sigmoid or leaky-relu.", DefaultValueFactory = _ => "relu" };
    public Option<int> Epochs { get; } = new("--epochs") { Description = "Maximum passes over the training rows.", DefaultValueFactory = _ => Defaults.Epochs };
    public Option<int> BatchSize { get; } = new("--batch-size") { Description = "Rows per step; 0 = full batch.", DefaultValueFactory = _ => Defaults.BatchSize };
    public Option<double> LearningRate { get; } = new("--lr") { Description = "Learning rate.", DefaultValueFactory = _ => Defaults.LearningRate };
    public Option<string> Optimizer { get; } = new("--optimizer") { Description = "adam, adamw or sgd.", DefaultValueFactory = _ => "adam" };
    public Option<double> WeightDecay { get; } = new("--weight-decay") { Description = "L2 (adam, sgd) or decoupled (adamw; 0 = its default 0.01) weight decay.", DefaultValueFactory = _ => 0 };
    public Option<string> Schedule { get; } = new("--schedule") { Description = "none, step, cosine or plateau.", DefaultValueFactory = _ => "none" };
    public Option<int> StepSize { get; } = new("--step-size") { Description = "step schedule: epochs between decays (default: a third of the epochs)." };
    public Option<double> Gamma { get; } = new("--gamma") { Description = "step schedule: decay factor.", DefaultValueFactory = _ => 0.1 };
    public Option<double> MinLearningRate { get; } = new("--min-lr") { Description = "cosine/plateau schedule: lowest learning rate.", DefaultValueFactory = _ => 0 };
    public Option<int> SchedulePatience { get; } = new("--lr-patience") { Description = "plateau schedule: epochs without improvement before a cut.", DefaultValueFactory = _ => 5 };
    public Option<double> Factor { get; } = new("--lr-factor") { Description = "plateau schedule: factor applied at each cut.", DefaultValueFactory = _ => 0.5 };
    public Option<string> Normalize { get; } = new("--normalize") { Description = "standard (fitted on the training split), batchnorm or none.", DefaultValueFactory = _ => "standard" };
    public Option<string> Loss { get; } = new("--loss") { Description = "bce-logits (stable, default) or bce.", DefaultValueFactory = _ => "bce-logits" };
    public Option<string?> PosWeight { get; } = new("--pos-weight") { Description = "Weight of the positive class: a number or auto (#negatives/#positives)." };
    public Option<double> ValidationSplit { get; } = new("--val-split") { Description = "Fraction held out (stratified) for validation and early stopping.", DefaultValueFactory = _ => Defaults.ValidationSplit };
    public Option<int> Patience { get; } = new("--patience") { Description = "Stop after this many epochs without a better validation loss (best weights restored); 0 = off.", DefaultValueFactory = _ => Defaults.Patience };
    public Option<double> GradientClip { get; } = new("--clip") { Description = "Clip the global gradient norm; 0 = off.", DefaultValueFactory = _ => 0 };
    public Option<string> Threshold { get; } = new("--threshold") { Description = "Decision threshold: 0.5 or best-f1 (maximizes validation F1).", DefaultValueFactory = _ => "0.5" };
    public Option<ulong> Seed { get; } = new("--seed") { Description = "Seed for the split, initialization and shuffling.", DefaultValueFactory = _ => Defaults.Seed };
    public Option<string> Preset { get; } = new("--preset") { Description = "fast: one network early-stopped on --val-split (today's speed); best: 5 cross-fitted networks, each early-stopped on its own fold, probabilities averaged, validation metrics out-of-fold over all rows (about 5× the training time).", DefaultValueFactory = _ => "fast" };
    public Option<string> Scaling { get; } = new("--scaling") { Description = "Numeric columns: none (raw numbers) or robust (median/IQR, smooth clip to ±3).", DefaultValueFactory = _ => "none" };
    public Option<bool> MissingIndicators { get; } = new("--missing-indicators") { Description = "Add a 0/1 feature per numeric column with missing values, and keep missing categories as their own level." };
    public Option<string> Calibration { get; } = new("--calibration") { Description = "auto: measure Platt scaling and isotonic regression by cross-validation on the validation (out-of-fold) rows and apply the better one only if it lowers log loss by 1 %; none; platt; isotonic (forced, when there are at least 100 validation rows and 10 of each class).", DefaultValueFactory = _ => "auto" };
    public Option<int> Threads { get; } = new("--threads") { Description = "1 = single-threaded; 0 = split large matrix products across all cores.", DefaultValueFactory = _ => 0 };

    /// <summary>Adds the data argument and every option to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Arguments.Add(Data);
        Option[] options = [Label, Positive, Ignore, Keep, Missing, Hidden, Activation, Epochs, BatchSize, LearningRate, Optimizer, WeightDecay,
            Schedule, StepSize, Gamma, MinLearningRate, SchedulePatience, Factor, Normalize, Loss, PosWeight, ValidationSplit, Patience,
            GradientClip, Threshold, Seed, Preset, Scaling, MissingIndicators, Calibration, Threads];
        foreach (var option in options) command.Options.Add(option);
        Csv.AddTo(command);
    }

    public CsvOptions CsvOptions(ParseResult parse) => Csv.Read(parse);

    /// <summary>Reads the options back; a bad value is a <see cref="UserError"/> naming the option and value.</summary>
    public ClassifierOptions Read(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var training = new TrainingOptions
        {
            Hidden = ParseWidths(parse.GetValue(Hidden) ?? ""),
            Activation = Choose(parse.GetValue(Activation), "--activation", ("relu", Training.Activation.Relu), ("tanh", Training.Activation.Tanh), ("sigmoid", Training.Activation.Sigmoid), ("leaky-relu", Training.Activation.LeakyRelu)),
            Epochs = parse.GetValue(Epochs),
            BatchSize = parse.GetValue(BatchSize),
            LearningRate = parse.GetValue(LearningRate),
            Optimizer = Choose(parse.GetValue(Optimizer), "--optimizer", ("adam", OptimizerKind.Adam), ("adamw", OptimizerKind.AdamW), ("sgd", OptimizerKind.Sgd)),
            WeightDecay = parse.GetValue(WeightDecay),
            Schedule = new ScheduleOptions(
                Choose(parse.GetValue(Schedule), "--schedule", ("none", ScheduleKind.None), ("step", ScheduleKind.Step), ("cosine", ScheduleKind.Cosine), ("plateau", ScheduleKind.Plateau)),
                parse.GetValue(StepSize), parse.GetValue(Gamma), parse.GetValue(MinLearningRate), parse.GetValue(SchedulePatience), parse.GetValue(Factor)),
            Normalize = Choose(parse.GetValue(Normalize), "--normalize", ("standard", Normalization.Standard), ("batchnorm", Normalization.BatchNorm), ("none", Normalization.None)),
            Loss = Choose(parse.GetValue(Loss), "--loss", ("bce-logits", LossKind.BceWithLogits), ("bce", LossKind.Bce)),
            PosWeight = ParsePosWeight(parse.GetValue(PosWeight)),
            ValidationSplit = parse.GetValue(ValidationSplit),
            Patience = parse.GetValue(Patience),
            GradientClip = parse.GetValue(GradientClip),
            Seed = parse.GetValue(Seed),
        };
        var threads = parse.GetValue(Threads);
        if (threads < 0) throw new UserError($"--threads must be ≥ 0, got {threads}.");
        // Only large matrix products are split across cores; 1 keeps every product on the calling thread.
        Engine.UseAllCores = threads != 1;
        try
        {
            training.Validate();
        }
        catch (ArgumentException e)
        {
            var option = OptionNames.GetValueOrDefault(e.ParamName ?? "");
            throw new UserError((option is null ? "" : option + ": ") + ConvergeApp.WithoutParameterName(e), e);
        }
        return new ClassifierOptions
        {
            Label = parse.GetValue(Label)!,
            Positive = parse.GetValue(Positive),
            Ignore = SplitList(parse.GetValue(Ignore)),
            Keep = SplitList(parse.GetValue(Keep)),
            Missing = Choose(parse.GetValue(Missing), "--missing", ("impute", MissingPolicy.Impute), ("error", MissingPolicy.Error)),
            Training = training,
            Threshold = Choose(parse.GetValue(Threshold), "--threshold", ("0.5", ThresholdRule.Half), ("best-f1", ThresholdRule.BestF1)),
            Preset = Choose(parse.GetValue(Preset), "--preset", ("fast", TrainingPreset.Fast), ("best", TrainingPreset.Best)),
            Scaling = Choose(parse.GetValue(Scaling), "--scaling", ("none", NumericScaling.None), ("robust", NumericScaling.Robust)),
            MissingIndicators = parse.GetValue(MissingIndicators),
            Calibration = Choose(parse.GetValue(Calibration), "--calibration", ("auto", (CalibrationMethod?)null), ("none", CalibrationMethod.None),
                ("platt", CalibrationMethod.Platt), ("isotonic", CalibrationMethod.Isotonic)),
        };
    }

    /// <summary>The option behind each <see cref="TrainingOptions"/> property, so a rejected value names what to change.</summary>
    private static readonly Dictionary<string, string> OptionNames = new(StringComparer.Ordinal)
    {
        [nameof(TrainingOptions.Epochs)] = "--epochs",
        [nameof(TrainingOptions.BatchSize)] = "--batch-size",
        [nameof(TrainingOptions.LearningRate)] = "--lr",
        [nameof(TrainingOptions.ValidationSplit)] = "--val-split",
        [nameof(TrainingOptions.Patience)] = "--patience",
        [nameof(TrainingOptions.PosWeight)] = "--pos-weight",
        [nameof(TrainingOptions.Hidden)] = "--hidden",
        [nameof(TrainingOptions.WeightDecay)] = "--weight-decay",
        [nameof(TrainingOptions.GradientClip)] = "--clip",
    };

    private static T Choose<T>(string? value, string option, params (string Name, T Value)[] choices)
    {
        var key = (value ?? "").Trim().ToLowerInvariant();
        foreach (var (name, result) in choices)
            if (name == key) return result;
        throw new UserError($"{option}: '{value}' is not one of {string.Join(", ", choices.Select(static c => c.Name))}.");
    }

    private static int[] ParseWidths(string text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Trim() == "none") return [];
        return [.. text.Split(',', StringSplitOptions.TrimEntries).Select(part =>
            int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out var width) && width > 0
                ? width
                : throw new UserError($"--hidden: '{part}' is not a positive layer width (expected e.g. 16,16)."))];
    }

    private static double? ParsePosWeight(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (text.Trim().Equals("auto", StringComparison.OrdinalIgnoreCase)) return double.NaN;
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0 && double.IsFinite(value)
            ? value
            : throw new UserError($"--pos-weight: '{text}' is not a positive number or 'auto'.");
    }

    private static string[] SplitList(string? text) =>
        string.IsNullOrWhiteSpace(text) ? [] : text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}
