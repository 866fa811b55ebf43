using System.Globalization;
using System.Reflection;
using Converge.Data;
using Converge.Evaluation;
using Converge.Modules;
using Converge.Persistence;
using Converge.Tensors;
using Converge.Training;

namespace Converge;

/// <summary>
/// A trained binary classifier with everything it needs to predict from a raw table: column
/// encoders and imputation, the standardization fitted on the training rows, the network and the
/// decision threshold. The same object is what the CLI trains, saves, loads and predicts with.
/// </summary>
public sealed partial class BinaryClassifier
{
    private readonly Preprocessor _preprocessor;
    private readonly StandardScaler? _scaler;
    private readonly Sequential[] _networks;

    private BinaryClassifier(Preprocessor preprocessor, StandardScaler? scaler, Sequential network, NetworkSpec architecture, double threshold, TrainingSummary training)
        : this(preprocessor, scaler, [network], architecture, threshold, training)
    {
    }

    private BinaryClassifier(Preprocessor preprocessor, StandardScaler? scaler, Sequential[] networks, NetworkSpec architecture, double threshold, TrainingSummary training)
    {
        (_preprocessor, _scaler, _networks) = (preprocessor, scaler, networks);
        (Architecture, Threshold, Training) = (architecture, threshold, training);
        foreach (var network in _networks) network.Eval();
    }

    /// <summary>The network layout: inputs, hidden widths, activation, output.</summary>
    public NetworkSpec Architecture { get; }

    /// <summary>Probability at or above which a row is predicted positive.</summary>
    public double Threshold { get; }

    /// <summary>What training left behind: options, epochs, losses, validation metrics, the training-row sketch.</summary>
    public TrainingSummary Training { get; }

    /// <summary>The label column and which value is the positive class.</summary>
    public LabelMapping Label => _preprocessor.Label;

    /// <summary>The fitted preprocessing: column kinds, imputation values, categories, feature names.</summary>
    public PreprocessingSpec Preprocessing => _preprocessor.Spec;

    /// <summary>Names of the encoded features, in the order the network sees them.</summary>
    public IReadOnlyList<string> FeatureNames => _preprocessor.FeatureNames;

    /// <summary>The standardization (null when the model does not standardize).</summary>
    public StandardScaler? Scaler => _scaler;

    /// <summary>The (first) network, in eval mode. Its output is a logit unless the architecture ends with a sigmoid.</summary>
    public Sequential Network => _networks[0];

    /// <summary>
    /// Every network of the model, in eval mode, all with <see cref="Architecture"/>: one for a single
    /// network, k for a cross-fitted ensemble, whose prediction is the mean of the members' probabilities.
    /// </summary>
    public IReadOnlyList<Sequential> Members => _networks;

    /// <summary>Trains on a table: split (stratified), fit preprocessing on the training rows, train, pick the threshold.</summary>
    public static ClassifierFit Fit(CsvTable table, ClassifierOptions options, IProgress<EpochLog>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(options);
        options.Training.Validate();
        options.Validate();
        var labels = LabelMapping.Infer(table, options.Label, options.Positive).Encode(table);
        var positives = labels.Count(static l => l == 1f);
        var members = options.ResolveMembers(labels.Length, Math.Min(positives, labels.Length - positives));
        if (members > 1) return FitCrossFitted(table, options, members, labels, progress, cancellation);
        var split = DataSplit.Stratified(labels, options.Training.ValidationSplit, options.Training.Seed);
        var (preprocessor, notices) = Preprocessor.Fit(table, options.Preprocessing, split.Train);
        var hidden = options.Training.Hidden;
        if (new NetworkSpec(preprocessor.FeatureCount, hidden, options.Training.Activation, false, false).ParameterCount() > NetworkSpec.MaxParameters)
            throw new DataError(table.SourceName, null, null, null, string.Create(CultureInfo.InvariantCulture,
                $"{preprocessor.FeatureCount:N0} features with hidden layers [{string.Join(",", hidden)}] need more than the {NetworkSpec.MaxParameters:N0} parameters a Converge network may have; use narrower layers or fewer columns."));
        var train = ToTrainingData(preprocessor.Transform(table, split.Train).Features);
        var validation = split.Validation.Length == 0 ? null : ToTrainingData(preprocessor.Transform(table, split.Validation).Features);
        return FitPrepared(preprocessor, notices, train, validation, options, progress, cancellation);
    }

    /// <summary>Trains on numeric arrays (row-major features, 0/1 labels); the columns are named f1, f2, ….</summary>
    public static ClassifierFit Fit(float[] features, float[] labels, int rows, int cols, TrainingOptions options,
        IReadOnlyList<string>? featureNames = null, IProgress<EpochLog>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var names = featureNames ?? [.. Enumerable.Range(1, cols).Select(i => $"f{i}")];
        var spec = new PreprocessingSpec
        {
            Columns = [.. names.Select(n => new ColumnSpec { Name = n, Kind = ColumnKind.Numeric, ImputeValue = 0 })],
            Label = new LabelMapping("label", "0", "1"),
            FeatureNames = names,
        };
        var all = new TrainingData(features, labels, rows, cols);
        all.Validate("data");
        var split = DataSplit.Stratified(labels, options.ValidationSplit, options.Seed);
        var validation = split.Validation.Length == 0 ? null : all.Select(split.Validation);
        return FitPrepared(Preprocessor.FromSpec(spec), [], all.Select(split.Train), validation,
            new ClassifierOptions { Label = "label", Training = options }, progress, default);
    }

    private static ClassifierFit FitPrepared(Preprocessor preprocessor, IReadOnlyList<DataNotice> notices, TrainingData train, TrainingData? validation,
        ClassifierOptions options, IProgress<EpochLog>? progress, CancellationToken cancellation)
    {
        var run = TabularRecipe.Fit(train, validation, options.Training, progress, cancellation);
        var provisional = new BinaryClassifier(preprocessor, run.Scaler, run.Model, run.Spec, 0.5, EmptySummary);
        BinaryMetrics? metrics = null;
        (double Threshold, double F1)? best = null;
        float[] probabilities = [];
        if (validation is not null)
        {
            probabilities = provisional.PredictProbabilities(validation.Features, validation.Rows);
            metrics = BinaryMetrics.Compute(probabilities, validation.Labels, 0.5);
            // F1 needs a positive row; a tiny split may hold none.
            if (validation.Labels.Contains(1f))
            {
                var search = ThresholdSearch.BestF1(probabilities, validation.Labels);
                best = (search.Threshold, search.F1);
            }
        }
        var threshold = options.Threshold == ThresholdRule.BestF1 && best is { } b ? b.Threshold : 0.5;
        if (metrics is not null && threshold != 0.5)
            metrics = BinaryMetrics.Compute(probabilities, validation!.Labels, threshold);

        var summary = new TrainingSummary(
            DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture),
            Version,
            DescribeOptions(options.Training, 1),
            train.Rows,
            validation?.Rows ?? 0,
            run.History.Count,
            run.BestEpoch,
            run.StopReason.ToString(),
            run.Elapsed.TotalSeconds,
            [.. run.History.Select(static h => h.TrainLoss)],
            validation is null ? [] : [.. run.History.Select(static h => h.ValidationLoss)],
            metrics is null ? new Dictionary<string, double>() : MetricsToDictionary(metrics),
            null,
            Decisions(preprocessor.Spec, options.Training, [run], train.Rows),
            TrainingRowSketch.Build(train.Features, train.Rows, train.Cols));
        var classifier = new BinaryClassifier(preprocessor, run.Scaler, run.Model, run.Spec, threshold, summary);
        return new ClassifierFit(classifier, run, notices, metrics, best?.Threshold, best?.F1, train, validation);
    }

    /// <summary>P(positive) for each row of a table (its label column, if present, is ignored).</summary>
    /// <exception cref="DataError">A value cannot be encoded, or a row's score is not a number (see <see cref="EnsureFinite"/>).</exception>
    public float[] PredictProbabilities(CsvTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var features = _preprocessor.Transform(table).Features;
        var probabilities = PredictProbabilities(features.Data, features.Rows);
        EnsureFinite(probabilities, table.SourceName, table.LineNumber);
        return probabilities;
    }

    /// <summary>
    /// Refuses a silent wrong answer: a NaN probability (finite inputs so far outside the training range
    /// that the network's float32 arithmetic overflows) is a <see cref="DataError"/> naming the row's line.
    /// </summary>
    /// <param name="probabilities">Scores of consecutive rows.</param>
    /// <param name="sourceName">The file the rows came from.</param>
    /// <param name="lineOf">The physical line of the row at an index into <paramref name="probabilities"/>.</param>
    public static void EnsureFinite(ReadOnlySpan<float> probabilities, string sourceName, Func<int, int> lineOf)
    {
        ArgumentNullException.ThrowIfNull(lineOf);
        for (var i = 0; i < probabilities.Length; i++)
        {
            if (!float.IsFinite(probabilities[i]))
                throw new DataError(sourceName, lineOf(i), null, null,
                    "the model's output for this row is not a number: its values are so far outside the training range that the network's float32 arithmetic overflows.");
        }
    }

    /// <summary>P(positive) for rows of encoded (not yet standardized) features, row-major.</summary>
    public float[] PredictProbabilities(float[] encodedFeatures, int rows)
    {
        ArgumentNullException.ThrowIfNull(encodedFeatures);
        var cols = Architecture.Inputs;
        if (encodedFeatures.Length != rows * cols)
            throw new ArgumentException($"Expected {rows} rows × {cols} features = {rows * cols} values, got {encodedFeatures.Length}.", nameof(encodedFeatures));
        using var _ = Tensor.NoGrad();
        float[]? sum = null;
        foreach (var network in _networks)
        {
            var probabilities = BlockForward.Outputs(network, encodedFeatures, rows, cols, _scaler);
            if (!Architecture.OutputSigmoid) System.Numerics.Tensors.TensorPrimitives.Sigmoid(probabilities, probabilities);
            if (sum is null) sum = probabilities;
            else System.Numerics.Tensors.TensorPrimitives.Add(sum, probabilities, sum);
        }
        // The same float arithmetic as Predictor: members summed in order, then one division.
        if (_networks.Length > 1) System.Numerics.Tensors.TensorPrimitives.Divide(sum!, _networks.Length, sum!);
        return sum!;
    }

    /// <summary>
    /// An allocation-free predictor for single rows or batches of encoded features (see
    /// <see cref="Predictor"/>): snapshots the current weights; one per thread.
    /// </summary>
    public Predictor CreatePredictor() => Predictor.Create(_networks, _scaler, outputIsLogit: !Architecture.OutputSigmoid);

    /// <summary>
    /// A scorer for single rows given as named raw values (strings or numbers as in the CSV): the
    /// model's preprocessing, then the allocation-free <see cref="Predictor"/>. One per thread.
    /// </summary>
    public RowScorer CreateRowScorer() => new(this);

    /// <summary>0/1 predictions at <see cref="Threshold"/>.</summary>
    public int[] Predict(CsvTable table) => [.. PredictProbabilities(table).Select(p => p >= Threshold ? 1 : 0)];

    /// <summary>Metrics on a labelled table, at the model's threshold.</summary>
    public BinaryMetrics Evaluate(CsvTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        table.RequireColumn(Label.Column, "label column");
        var features = _preprocessor.Transform(table).Features;
        var probabilities = PredictProbabilities(features.Data, features.Rows);
        EnsureFinite(probabilities, table.SourceName, table.LineNumber);
        return BinaryMetrics.Compute(probabilities, features.Labels!, Threshold);
    }

    /// <summary>
    /// Permutation importance of each input column (a categorical column's one-hot features shuffled as one)
    /// on labelled encoded rows — the validation split of a <see cref="ClassifierFit"/>, so the importance
    /// says what the model relies on for rows it did not train on. See <see cref="Evaluation.PermutationImportance"/>.
    /// </summary>
    public IReadOnlyList<FeatureImportance> PermutationImportance(TrainingData rows, PermutationImportanceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return Evaluation.PermutationImportance.Compute(PredictProbabilities, rows.Features, rows.Labels, rows.Rows, rows.Cols,
            Evaluation.PermutationImportance.ByColumn(_preprocessor.Spec), options ?? new PermutationImportanceOptions { Threshold = Threshold });
    }

    /// <summary>Binds a column layout (a CSV header) to this model's preprocessing, for streaming prediction.</summary>
    public RowTransformer Bind(IReadOnlyList<string> columnNames, string sourceName) => _preprocessor.Bind(columnNames, sourceName);

    /// <summary>Saves the model as one safetensors file (weights plus metadata), atomically; see <see cref="ModelFile"/>.</summary>
    public void Save(string path) => ModelFile.Save(path, new ModelContents(
        Architecture, _preprocessor.Spec,
        _scaler is null ? null : new ScalerState([.. _scaler.Mean], [.. _scaler.Scale]),
        Threshold, Training,
        StateOf(_networks[0]),
        _networks.Length == 1 ? null : [.. _networks.Skip(1).Select(StateOf)]));

    private static Dictionary<string, float[]> StateOf(Sequential network) =>
        network.StateDict().ToDictionary(static kv => kv.Key, static kv => kv.Value.Data, StringComparer.Ordinal);

    /// <summary>Loads and validates a model file; a damaged or foreign file throws <see cref="ModelFileException"/>.</summary>
    public static BinaryClassifier Load(string path)
    {
        var contents = ModelFile.Load(path);
        Sequential[] networks = [.. new[] { contents.State }.Concat(contents.MoreMembers ?? []).Select(state =>
        {
            var network = contents.Architecture.Build(new Generator(0));
            foreach (var (name, tensor) in network.StateDict()) state[name].CopyTo(tensor.Data, 0);
            return network;
        })];
        Preprocessor preprocessor;
        try
        {
            preprocessor = Preprocessor.FromSpec(contents.Preprocessing);
        }
        catch (ArgumentException e)
        {
            throw new ModelFileException($"{Path.GetFileName(path)}: invalid preprocessing: {e.Message}", e);
        }
        var scaler = contents.Scaler is null ? null : new StandardScaler(contents.Scaler.Mean, contents.Scaler.Scale);
        return new BinaryClassifier(preprocessor, scaler, networks, contents.Architecture, contents.Threshold, contents.Training);
    }

    /// <summary>The library version, recorded in model files.</summary>
    public static string Version { get; } =
        typeof(BinaryClassifier).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>The metrics under the snake_case keys used in JSON reports and model files.</summary>
    public static Dictionary<string, double> MetricsToDictionary(BinaryMetrics m)
    {
        ArgumentNullException.ThrowIfNull(m);
        return new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["accuracy"] = m.Accuracy,
            ["precision"] = m.Precision,
            ["recall"] = m.Recall,
            ["f1"] = m.F1,
            ["roc_auc"] = m.RocAuc,
            ["pr_auc"] = m.PrAuc,
            ["log_loss"] = m.LogLoss,
            ["threshold"] = m.Threshold,
            ["rows"] = m.Rows,
        };
    }

    private static TrainingData ToTrainingData(FeatureMatrix m) => new(m.Data, m.Labels!, m.Rows, m.Cols);

    private static readonly TrainingSummary EmptySummary = new("", Version, new Dictionary<string, string>(), 0, 0, 0, 0, "", 0, [], [], new Dictionary<string, double>());

    private static Dictionary<string, string> DescribeOptions(TrainingOptions o, int members)
    {
        string F(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["hidden"] = string.Join(",", o.Hidden),
            ["activation"] = o.Activation.ToString().ToLowerInvariant(),
            ["epochs"] = o.Epochs.ToString(CultureInfo.InvariantCulture),
            ["batch_size"] = o.BatchSize == 0 ? "full" : o.BatchSize.ToString(CultureInfo.InvariantCulture),
            ["lr"] = F(o.LearningRate),
            ["optimizer"] = o.Optimizer.ToString().ToLowerInvariant(),
            ["weight_decay"] = F(o.WeightDecay),
            ["schedule"] = o.Schedule.Kind.ToString().ToLowerInvariant(),
            ["normalize"] = o.Normalize.ToString().ToLowerInvariant(),
            ["loss"] = o.Loss == LossKind.Bce ? "bce" : "bce-logits",
            ["pos_weight"] = o.PosWeight is null ? "none" : double.IsNaN(o.PosWeight.Value) ? "auto" : F(o.PosWeight.Value),
            ["val_split"] = F(o.ValidationSplit),
            ["patience"] = o.Patience.ToString(CultureInfo.InvariantCulture),
            ["seed"] = o.Seed.ToString(CultureInfo.InvariantCulture),
            ["members"] = members.ToString(CultureInfo.InvariantCulture),
        };
    }
}

/// <summary>The result of fitting a <see cref="BinaryClassifier"/>.</summary>
/// <param name="Classifier">The trained model, ready to predict and save.</param>
/// <param name="Run">The training run: history, stop reason, elapsed time.</param>
/// <param name="Notices">What the preprocessing did (dropped columns, imputed values, encodings).</param>
/// <param name="ValidationMetrics">Metrics on the validation split at the chosen threshold, or null.</param>
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

    /// <summary>How many networks the classifier averages.</summary>
    public int MemberCount => MemberRuns?.Count ?? 1;

    /// <summary>Training wall time of all members together.</summary>
    public double TrainingSeconds => MemberRuns?.Sum(static r => r.Elapsed.TotalSeconds) ?? Run.Elapsed.TotalSeconds;
}
