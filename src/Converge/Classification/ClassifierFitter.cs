using System.Globalization;
using Converge.Data;
using Converge.Modules;
using Converge.Training;

namespace Converge.Classification;

/// <summary>
/// What both ways of fitting leave for the threshold, the summary and the classifier: the fitted
/// preprocessing and networks, the runs, and the scores of rows the networks did not train on.
/// </summary>
/// <param name="Preprocessor">The preprocessing fitted on the training rows.</param>
/// <param name="Notices">What the preprocessing decided.</param>
/// <param name="Scaler">The standardization, shared by every member, or null.</param>
/// <param name="Runs">One run per network, in member order.</param>
/// <param name="Reported">The run the loss curve and the diagnosis read: the first, or the one that diverged.</param>
/// <param name="Train">The encoded training rows (for an ensemble, the first member's).</param>
/// <param name="Validation">The encoded validation rows (for an ensemble, the first member's fold), or null.</param>
/// <param name="TrainRows">Rows the model trained on (all rows for an ensemble).</param>
/// <param name="Sketch">The rows the training-row sketch remembers.</param>
/// <param name="ScoredProbabilities">P(positive) of the held-out rows, or every row out-of-fold.</param>
/// <param name="ScoredLabels">Their labels.</param>
/// <param name="Folds">The folds the rows were dealt into (one member each, unless training stopped early); 1 for a hold-out.</param>
internal sealed record FittedNetworks(
    Preprocessor Preprocessor,
    IReadOnlyList<DataNotice> Notices,
    StandardScaler? Scaler,
    IReadOnlyList<TrainingRun> Runs,
    TrainingRun Reported,
    TrainingData Train,
    TrainingData? Validation,
    int TrainRows,
    TrainingData Sketch,
    float[] ScoredProbabilities,
    float[] ScoredLabels,
    int Folds = 1)
{
    public Sequential[] Networks => [.. Runs.Select(static r => r.Model)];

    public NetworkSpec Architecture => Runs[0].Spec;
}

/// <summary>
/// Fitting a <see cref="BinaryClassifier"/>: infer the label once, then either one network early-stopped
/// on a stratified hold-out, or a cross-fitted ensemble; then the threshold, the summary and the façade.
/// </summary>
internal static class ClassifierFitter
{
    public static ClassifierFit Fit(CsvTable table, ClassifierOptions options, IProgress<EpochLog>? progress, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(options);
        options.Training.Validate();
        options.Validate();
        var label = LabelMapping.Infer(table, options.Label, options.Positive);
        var labels = label.Encode(table);
        var positives = labels.Count(static l => l == 1f);
        var members = options.ResolveMembers(labels.Length, Math.Min(positives, labels.Length - positives));
        var fitted = members > 1
            ? CrossFit(table, label, labels, options, members, progress, cancellation)
            : HoldOut(table, label, labels, options, progress, cancellation);
        string? why = null;
        if (members == 1 && options.Members == 0 && options.Preset == TrainingPreset.Best)
            why = labels.Length > ClassifierOptions.MaxCrossFitRows
                ? string.Create(CultureInfo.InvariantCulture, $"the best preset trains one network here: {labels.Length:N0} rows are more than the {ClassifierOptions.MaxCrossFitRows:N0} up to which it cross-fits {ClassifierOptions.DefaultMembers} members")
                : "the best preset trains one network here: too few rows of the smaller class to give each fold one";
        return Finish(fitted, options, why);
    }

    /// <summary>Numeric arrays (row-major features, 0/1 labels), one network on a stratified hold-out; the columns are named f1, f2, ….</summary>
    public static ClassifierFit Fit(float[] features, float[] labels, int rows, int cols, TrainingOptions options,
        IReadOnlyList<string>? featureNames, IProgress<EpochLog>? progress)
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
        var fitted = TrainHeldOut(Preprocessor.FromSpec(spec), [], all.Select(split.Train), validation, options, progress, default);
        return Finish(fitted, new ClassifierOptions { Label = "label", Training = options }, null);
    }

    private static FittedNetworks HoldOut(CsvTable table, LabelMapping label, float[] labels, ClassifierOptions options,
        IProgress<EpochLog>? progress, CancellationToken cancellation)
    {
        var split = DataSplit.Stratified(labels, options.Training.ValidationSplit, options.Training.Seed);
        var (preprocessor, notices) = Preprocessor.Fit(table, options.Preprocessing, split.Train, label);
        CheckSize(table, preprocessor, options.Training);
        var train = ToTrainingData(preprocessor.Transform(table, split.Train).Features);
        var validation = split.Validation.Length == 0 ? null : ToTrainingData(preprocessor.Transform(table, split.Validation).Features);
        return TrainHeldOut(preprocessor, notices, train, validation, options.Training, progress, cancellation);
    }

    private static FittedNetworks TrainHeldOut(Preprocessor preprocessor, IReadOnlyList<DataNotice> notices, TrainingData train, TrainingData? validation,
        TrainingOptions options, IProgress<EpochLog>? progress, CancellationToken cancellation)
    {
        var run = TabularRecipe.Fit(train, validation, options, progress, cancellation);
        var probabilities = validation is null ? [] : Score(run, run.Scaler, validation);
        return new FittedNetworks(preprocessor, notices, run.Scaler, [run], run, train, validation, train.Rows, train,
            probabilities, validation?.Labels ?? []);
    }

    /// <summary>
    /// Cross-fitting: the preprocessing and standardization are fitted on every row, the rows are dealt
    /// into k stratified folds, and member m trains on the other folds and early-stops on fold m. The
    /// prediction is the members' mean probability; each row's out-of-fold probability (from the one
    /// member that never trained on it) gives the validation metrics and the best-F1 threshold.
    /// </summary>
    private static FittedNetworks CrossFit(CsvTable table, LabelMapping label, float[] labels, ClassifierOptions options, int members,
        IProgress<EpochLog>? progress, CancellationToken cancellation)
    {
        var training = options.Training;
        var allRows = Enumerable.Range(0, table.RowCount).ToArray();
        var (preprocessor, notices) = Preprocessor.Fit(table, options.Preprocessing, allRows, label);
        CheckSize(table, preprocessor, training);
        var data = ToTrainingData(preprocessor.Transform(table).Features);
        var scaler = training.Normalize == Normalization.Standard ? StandardScaler.Fit(data.Features, data.Rows, data.Cols) : null;
        var scaledFeatures = (float[])data.Features.Clone();
        scaler?.Transform(scaledFeatures);
        var scaled = data with { Features = scaledFeatures };
        // The members see standardized rows: the shared scaler replaces each run's own.
        var memberOptions = scaler is null ? training : training with { Normalize = Normalization.None };

        var fold = DataSplit.StratifiedFolds(labels, members, training.Seed);
        var outOfFold = new float[data.Rows];
        var runs = new List<TrainingRun>(members);
        TrainingData? firstTrain = null, firstValidation = null;
        for (var m = 0; m < members; m++)
        {
            var trainRows = allRows.Where(r => fold[r] != m).ToArray();
            var validationRows = allRows.Where(r => fold[r] == m).ToArray();
            var member = m + 1;
            var memberProgress = progress is null ? null : new Relay(log => progress.Report(log with { Member = member, Members = members }));
            var run = TabularRecipe.Fit(scaled.Select(trainRows), scaled.Select(validationRows),
                memberOptions with { Seed = training.Seed + (ulong)m }, memberProgress, cancellation) with { Scaler = scaler };
            runs.Add(run);
            if (m == 0) (firstTrain, firstValidation) = (data.Select(trainRows), data.Select(validationRows));
            if (run.StopReason == StopReason.Diverged) break;
            var probabilities = Score(run, scaler, data.Select(validationRows));
            for (var i = 0; i < validationRows.Length; i++) outOfFold[validationRows[i]] = probabilities[i];
            // Ctrl-C: this member keeps its best weights, no further member starts, and the scores cover the folds trained.
            if (run.StopReason == StopReason.Interrupted) break;
        }
        var last = runs[^1].StopReason;
        var reported = last is StopReason.Diverged or StopReason.Interrupted ? runs[^1] : runs[0];
        var (scores, scoredLabels) = (outOfFold, data.Labels);
        if (last == StopReason.Interrupted && runs.Count < members)
        {
            var covered = allRows.Where(r => fold[r] < runs.Count).ToArray();
            (scores, scoredLabels) = ([.. covered.Select(r => outOfFold[r])], [.. covered.Select(r => data.Labels[r])]);
        }
        return new FittedNetworks(preprocessor, notices, scaler, runs, reported, firstTrain!, firstValidation, data.Rows, data,
            scores, scoredLabels, members);
    }

    private static ClassifierFit Finish(FittedNetworks fitted, ClassifierOptions options, string? membersNote)
    {
        // A diverged member leaves its fold and the later ones unscored: nothing to calibrate on.
        var calibration = fitted.Runs.Any(static r => r.StopReason == StopReason.Diverged)
            ? CalibrationDecision.Skip(fitted.ScoredProbabilities, "none (training diverged)")
            : CalibrationDecision.Choose(fitted.ScoredProbabilities, fitted.ScoredLabels, options.Calibration, options.Training.Seed);
        var decision = ThresholdDecision.Choose(calibration.FinalScores, calibration.HonestScores, fitted.ScoredLabels, options.Threshold);
        var summary = ClassifierSummary.Build(fitted, options.Training, decision.Metrics, calibration, membersNote);
        var classifier = new BinaryClassifier(fitted.Preprocessor, fitted.Scaler, fitted.Networks, fitted.Architecture, decision.Threshold, summary,
            calibration.Calibration);
        return new ClassifierFit(classifier, fitted.Reported, fitted.Notices, decision.Metrics, decision.BestF1Threshold, decision.BestF1,
            fitted.Train, fitted.Validation)
        {
            MemberRuns = fitted.Runs.Count > 1 ? fitted.Runs : null,
            Folds = fitted.Folds,
            ValidationProbabilities = calibration.HonestScores,
            ValidationLabels = fitted.ScoredLabels,
        };
    }

    // The scores of rows a network did not train on, through the same predictor that serves the model.
    private static float[] Score(TrainingRun run, StandardScaler? scaler, TrainingData rows)
    {
        var probabilities = new float[rows.Rows];
        Predictor.Create(run.Model, scaler, outputIsLogit: !run.Spec.OutputSigmoid).PredictProbabilities(rows.Features, probabilities);
        return probabilities;
    }

    private static void CheckSize(CsvTable table, Preprocessor preprocessor, TrainingOptions training)
    {
        var hidden = training.Hidden;
        if (new NetworkSpec(preprocessor.FeatureCount, hidden, training.Activation, false, false).ParameterCount() > NetworkSpec.MaxParameters)
            throw new DataError(table.SourceName, null, null, null, string.Create(CultureInfo.InvariantCulture,
                $"{preprocessor.FeatureCount:N0} features with hidden layers [{string.Join(",", hidden)}] need more than the {NetworkSpec.MaxParameters:N0} parameters a Converge network may have; use narrower layers or fewer columns."));
    }

    // Synchronous, unlike Progress<T>: each member's epochs reach the caller in order, on the training thread.
    private sealed class Relay(Action<EpochLog> report) : IProgress<EpochLog>
    {
        public void Report(EpochLog value) => report(value);
    }

    private static TrainingData ToTrainingData(FeatureMatrix m) => new(m.Data, m.Labels!, m.Rows, m.Cols);
}
