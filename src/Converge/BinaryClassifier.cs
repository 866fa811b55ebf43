using System.Reflection;
using Converge.Classification;
using Converge.Data;
using Converge.Evaluation;
using Converge.Modules;
using Converge.Persistence;
using Converge.Training;

namespace Converge;

/// <summary>
/// A trained binary classifier with everything it needs to predict from a raw table: column
/// encoders and imputation, the standardization fitted on the training rows, the network (or a
/// cross-fitted ensemble of them) and the decision threshold. The same object is what the CLI
/// trains, saves, loads and predicts with.
/// </summary>
/// <remarks>
/// A façade over named pieces in <c>Classification/</c>: fitting (<c>ClassifierFitter</c>), the threshold
/// (<c>ThresholdDecision</c>), the summary saved with the model (<c>ClassifierSummary</c>) and the model
/// file (<c>ClassifierFile</c>). Every score goes through one <see cref="Predictor"/>, the same code
/// that serves <see cref="RowScorer"/> and <see cref="StreamScorer"/>.
/// </remarks>
public sealed class BinaryClassifier
{
    private readonly Preprocessor _preprocessor;
    private readonly Sequential[] _networks;

    internal BinaryClassifier(Preprocessor preprocessor, StandardScaler? scaler, Sequential[] networks, NetworkSpec architecture, double threshold, TrainingSummary training,
        ProbabilityCalibration? calibration)
    {
        (_preprocessor, Scaler, _networks, Calibration) = (preprocessor, scaler, networks, calibration);
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
    public StandardScaler? Scaler { get; }

    /// <summary>
    /// The probability calibration applied after the networks (after an ensemble's mean), or null: fitted on the
    /// validation (out-of-fold) rows when measurement showed it lowers log loss (see <see cref="ClassifierOptions.Calibration"/>).
    /// </summary>
    public ProbabilityCalibration? Calibration { get; }

    /// <summary>The (first) network, in eval mode. Its output is a logit unless the architecture ends with a sigmoid.</summary>
    public Sequential Network => _networks[0];

    /// <summary>
    /// Every network of the model, in eval mode, all with <see cref="Architecture"/>: one for a single
    /// network, k for a cross-fitted ensemble, whose prediction is the mean of the members' probabilities.
    /// </summary>
    public IReadOnlyList<Sequential> Members => _networks;

    /// <summary>
    /// Trains on a table: infer the label, fit preprocessing on the training rows, train one network on a
    /// stratified split or a cross-fitted ensemble (see <see cref="ClassifierOptions.Preset"/>), pick the threshold.
    /// </summary>
    /// <exception cref="DataError">The table cannot be trained on (a missing label column, one class, no usable feature, …).</exception>
    public static ClassifierFit Fit(CsvTable table, ClassifierOptions options, IProgress<EpochLog>? progress = null, CancellationToken cancellation = default) =>
        ClassifierFitter.Fit(table, options, progress, cancellation);

    /// <summary>Trains one network on numeric arrays (row-major features, 0/1 labels) with a stratified validation split; the columns are named f1, f2, ….</summary>
    public static ClassifierFit Fit(float[] features, float[] labels, int rows, int cols, TrainingOptions options,
        IReadOnlyList<string>? featureNames = null, IProgress<EpochLog>? progress = null) =>
        ClassifierFitter.Fit(features, labels, rows, cols, options, featureNames, progress);

    /// <summary>P(positive) for each row of a table (its label column, if present, is ignored).</summary>
    /// <exception cref="DataError">A value cannot be encoded, or a row's score is not a number (its values overflow the network's float32 arithmetic).</exception>
    public float[] PredictProbabilities(CsvTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var features = _preprocessor.Transform(table).Features;
        var probabilities = PredictProbabilities(features.Data, features.Rows);
        ScoreChecks.EnsureFinite(probabilities, table.SourceName, table.LineNumber);
        return probabilities;
    }

    /// <summary>P(positive) for rows of encoded (not yet standardized) features, row-major; an ensemble averages its members.</summary>
    public float[] PredictProbabilities(float[] encodedFeatures, int rows)
    {
        ArgumentNullException.ThrowIfNull(encodedFeatures);
        var cols = Architecture.Inputs;
        if (rows < 0 || encodedFeatures.Length != (long)rows * cols)
            throw new ArgumentException($"Expected {rows} rows × {cols} features = {(long)rows * cols} values, got {encodedFeatures.Length}.", nameof(encodedFeatures));
        var probabilities = new float[rows];
        CreatePredictor().PredictProbabilities(encodedFeatures, probabilities);
        return probabilities;
    }

    /// <summary>
    /// An allocation-free predictor for single rows or batches of encoded features (see
    /// <see cref="Predictor"/>): snapshots the current weights; one per thread.
    /// </summary>
    public Predictor CreatePredictor() => Predictor.Create(_networks, Scaler, outputIsLogit: !Architecture.OutputSigmoid, Calibration);

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
        ScoreChecks.EnsureFinite(probabilities, table.SourceName, table.LineNumber);
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

    /// <summary>
    /// Member <paramref name="index"/> (0-based) alone, with the model's calibration and threshold (a monotone map fitted
    /// on out-of-fold scores, this member's fold included): the scorer that never trained on its own fold.
    /// </summary>
    internal BinaryClassifier Member(int index) => new(_preprocessor, Scaler, [_networks[index]], Architecture, Threshold, Training, Calibration);

    /// <summary>Binds a column layout (a CSV header) to this model's preprocessing, for streaming prediction (see <see cref="StreamScorer"/>).</summary>
    public RowTransformer Bind(IReadOnlyList<string> columnNames, string sourceName) => _preprocessor.Bind(columnNames, sourceName);

    /// <summary>Saves the model as one safetensors file (weights plus metadata), atomically; see <see cref="ModelFile"/>.</summary>
    public void Save(string path) => ClassifierFile.Save(this, path);

    /// <summary>Loads and validates a model file; a damaged or foreign file throws <see cref="ModelFileException"/>.</summary>
    public static BinaryClassifier Load(string path) => ClassifierFile.Load(path);

    /// <summary>The library version, recorded in model files.</summary>
    public static string Version { get; } =
        typeof(BinaryClassifier).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
}
