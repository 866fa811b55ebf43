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
    private static readonly TrainingOptions Fast = ClassifierOptions.TrainingFor(TrainingPreset.Fast);
    private static readonly TrainingOptions Best = ClassifierOptions.TrainingFor(TrainingPreset.Best);

    /// <summary>" (default: best X, fast Y)", or " (default: X)" when the presets agree.</summary>
    private static string PresetDefault<T>(Func<TrainingOptions, T> value, Func<T, string>? show = null)
    {
        show ??= static v => Convert.ToString(v, CultureInfo.InvariantCulture)!.ToLowerInvariant();
        var (best, fast) = (show(value(Best)), show(value(Fast)));
        return best == fast ? $" (default: {best})" : $" (default: {best} with --preset best, {fast} with --preset fast)";
    }

    /// <summary>Best's training time in units of Fast's, as measured on the quality benchmark (bench/results/quality/README.md).</summary>
    private const int PresetCost = 10;

    private static string Widths(int[] widths) => string.Join(",", widths);

    public Argument<string> Data { get; } = new("data") { Description = "The training CSV (header row expected); - reads standard input." };
    public Option<string> Label { get; } = new("--label", "-l") { Description = "The label column: two distinct values.", Required = true };
    public Option<string?> Positive { get; } = new("--positive") { Description = "The label value that is the positive class (default: the larger number, true, yes, else the later value in sort order)." };
    public Option<string?> Ignore { get; } = new("--ignore") { Description = "Comma-separated columns to leave out." };
    public Option<string?> Keep { get; } = new("--keep") { Description = "Comma-separated text columns to keep as categories." };
    /// <summary>--no-header, --encoding, --decimal-comma.</summary>
    public CsvInput Csv { get; } = new();
    public Option<string> Missing { get; } = new("--missing") { Description = "impute (median / most frequent) or error.", DefaultValueFactory = _ => "impute" };
    public Option<string> Hidden { get; } = new("--hidden") { Description = "Hidden layer widths, e.g. 16,16 (empty for logistic regression)" + PresetDefault(static o => o.Hidden, Widths) + "." };
    public Option<string> Activation { get; } = new("--activation") { Description = "Hidden activation: " + string.Join(", ", LayerKinds.ActivationOptions.Select(static a => a.Name)) + ".", DefaultValueFactory = _ => "relu" };
    public Option<int> Epochs { get; } = new("--epochs") { Description = "Maximum passes over the training rows" + PresetDefault(static o => o.Epochs) + "." };
    public Option<int> BatchSize { get; } = new("--batch-size") { Description = "Rows per step; 0 = full batch" + PresetDefault(static o => o.BatchSize) + "." };
    public Option<double> LearningRate { get; } = new("--lr") { Description = "Learning rate" + PresetDefault(static o => o.LearningRate) + "." };
    public Option<string> Optimizer { get; } = new("--optimizer") { Description = "adam, adamw or sgd" + PresetDefault(static o => o.Optimizer) + "." };
    public Option<double> WeightDecay { get; } = new("--weight-decay") { Description = "L2 (adam, sgd) or decoupled (adamw; 0 = its default 0.01) weight decay" + PresetDefault(static o => o.WeightDecay) + "." };
    public Option<string> Schedule { get; } = new("--schedule") { Description = "none, step, cosine or plateau" + PresetDefault(static o => o.Schedule.Kind) + "." };
    public Option<int> StepSize { get; } = new("--step-size") { Description = "step schedule: epochs between decays (default: a third of the epochs)." };
    public Option<double> Gamma { get; } = new("--gamma") { Description = "step schedule: decay factor.", DefaultValueFactory = _ => 0.1 };
    public Option<double> MinLearningRate { get; } = new("--min-lr") { Description = "cosine/plateau schedule: lowest learning rate" + PresetDefault(static o => o.Schedule.MinLearningRate) + "." };
    public Option<int> SchedulePatience { get; } = new("--lr-patience") { Description = "plateau schedule: epochs without improvement before a cut.", DefaultValueFactory = _ => 5 };
    public Option<double> Factor { get; } = new("--lr-factor") { Description = "plateau schedule: factor applied at each cut.", DefaultValueFactory = _ => 0.5 };
    public Option<string> Normalize { get; } = new("--normalize") { Description = "standard (fitted on the training split), batchnorm or none.", DefaultValueFactory = _ => "standard" };
    public Option<string> Loss { get; } = new("--loss") { Description = "bce-logits (stable, default) or bce.", DefaultValueFactory = _ => "bce-logits" };
    public Option<string?> PosWeight { get; } = new("--pos-weight") { Description = "Weight of the positive class: a number or auto (#negatives/#positives)." };
    public Option<double> ValidationSplit { get; } = new("--val-split") { Description = "Fraction held out (stratified) for validation and early stopping by a single network (--preset fast, or a table too small to cross-fit).", DefaultValueFactory = _ => Fast.ValidationSplit };
    public Option<int> Patience { get; } = new("--patience") { Description = "Stop after this many epochs without a better validation loss (best weights restored); 0 = off" + PresetDefault(static o => o.Patience) + "." };
    public Option<double> GradientClip { get; } = new("--clip") { Description = "Clip the global gradient norm; 0 = off.", DefaultValueFactory = _ => 0 };
    public Option<string> Threshold { get; } = new("--threshold") { Description = "Decision threshold: 0.5 or best-f1 (maximizes validation F1).", DefaultValueFactory = _ => "0.5" };
    public Option<ulong> Seed { get; } = new("--seed") { Description = "Seed for the split, initialization and shuffling.", DefaultValueFactory = _ => Fast.Seed };
    public Option<string> Preset { get; } = new("--preset") { Description = string.Create(CultureInfo.InvariantCulture,
        $"best (default): {ClassifierOptions.DefaultMembers} cross-fitted networks of {Widths(Best.Hidden)} at learning rate {Best.LearningRate.ToString(CultureInfo.InvariantCulture)} (each trains on all but one fold and early-stops on it; the prediction averages their probabilities; validation metrics are out-of-fold over all rows), about {PresetCost}× the training time of fast; above {ClassifierOptions.MaxCrossFitRows:N0} rows it trains one such network on --val-split instead. fast: one {Widths(Fast.Hidden)} network at learning rate {Fast.LearningRate.ToString(CultureInfo.InvariantCulture)} early-stopped on --val-split (the default before best). Options given explicitly override the preset's values."), DefaultValueFactory = _ => "best" };
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
        var preset = Choose(parse.GetValue(Preset), "--preset", ("best", TrainingPreset.Best), ("fast", TrainingPreset.Fast));
        // An option left out takes the preset's value, so --preset fast alone is exactly the fast network.
        var basis = ClassifierOptions.TrainingFor(preset);
        var schedule = basis.Schedule;
        var training = basis with
        {
            Hidden = Given(parse, Hidden) is { } hidden ? ParseWidths(hidden) : basis.Hidden,
            Activation = Given(parse, Activation) is not { } activation ? basis.Activation : Choose(activation, "--activation", [.. LayerKinds.ActivationOptions]),
            Epochs = Given(parse, Epochs, basis.Epochs),
            BatchSize = Given(parse, BatchSize, basis.BatchSize),
            LearningRate = Given(parse, LearningRate, basis.LearningRate),
            Optimizer = Given(parse, Optimizer) is { } optimizer ? Choose(optimizer, "--optimizer", ("adam", OptimizerKind.Adam), ("adamw", OptimizerKind.AdamW), ("sgd", OptimizerKind.Sgd)) : basis.Optimizer,
            WeightDecay = Given(parse, WeightDecay, basis.WeightDecay),
            Schedule = new ScheduleOptions(
                Given(parse, Schedule) is { } kind ? Choose(kind, "--schedule", ("none", ScheduleKind.None), ("step", ScheduleKind.Step), ("cosine", ScheduleKind.Cosine), ("plateau", ScheduleKind.Plateau)) : schedule.Kind,
                Given(parse, StepSize, schedule.StepSize), Given(parse, Gamma, schedule.Gamma), Given(parse, MinLearningRate, schedule.MinLearningRate),
                Given(parse, SchedulePatience, schedule.Patience), Given(parse, Factor, schedule.Factor)),
            Normalize = Given(parse, Normalize) is not { } normalize ? basis.Normalize : Choose(normalize, "--normalize", ("standard", Normalization.Standard), ("batchnorm", Normalization.BatchNorm), ("none", Normalization.None)),
            Loss = Given(parse, Loss) is not { } loss ? basis.Loss : Choose(loss, "--loss", ("bce-logits", LossKind.BceWithLogits), ("bce", LossKind.Bce)),
            PosWeight = ParsePosWeight(parse.GetValue(PosWeight)),
            ValidationSplit = Given(parse, ValidationSplit, basis.ValidationSplit),
            Patience = Given(parse, Patience, basis.Patience),
            GradientClip = Given(parse, GradientClip, basis.GradientClip),
            Seed = Given(parse, Seed, basis.Seed),
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
            Preset = preset,
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

    /// <summary>The value given on the command line, else <paramref name="preset"/> (an option's own default does not count).</summary>
    private static T Given<T>(ParseResult parse, Option<T> option, T preset) =>
        parse.GetResult(option) is { Implicit: false } ? parse.GetValue(option)! : preset;

    /// <summary>The text given on the command line for <paramref name="option"/>, or null.</summary>
    private static string? Given(ParseResult parse, Option<string> option) =>
        parse.GetResult(option) is { Implicit: false } ? parse.GetValue(option) : null;

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
