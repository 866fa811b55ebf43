using System.Globalization;
using Converge.Data;
using Converge.Evaluation;
using Converge.Modules;
using Converge.Persistence;
using Converge.Training;

namespace Converge;

public sealed partial class BinaryClassifier
{
    /// <summary>
    /// Cross-fitting: the preprocessing and standardization are fitted on every row, the rows are dealt
    /// into k stratified folds, and member m trains on the other folds and early-stops on fold m. The
    /// prediction is the members' mean probability; each row's out-of-fold probability (from the one
    /// member that never trained on it) gives the validation metrics and the best-F1 threshold.
    /// </summary>
    private static ClassifierFit FitCrossFitted(CsvTable table, ClassifierOptions options, int members, float[] labels,
        IProgress<EpochLog>? progress, CancellationToken cancellation)
    {
        var training = options.Training;
        var allRows = Enumerable.Range(0, table.RowCount).ToArray();
        var (preprocessor, notices) = Preprocessor.Fit(table, options.Preprocessing, allRows);
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
        var networks = new List<Sequential>(members);
        TrainingData? firstTrain = null, firstValidation = null;
        for (var m = 0; m < members; m++)
        {
            var trainRows = allRows.Where(r => fold[r] != m).ToArray();
            var validationRows = allRows.Where(r => fold[r] == m).ToArray();
            var run = TabularRecipe.Fit(scaled.Select(trainRows), scaled.Select(validationRows),
                memberOptions with { Seed = training.Seed + (ulong)m }, progress, cancellation);
            run = run with { Scaler = scaler };
            runs.Add(run);
            networks.Add(run.Model);
            if (m == 0) (firstTrain, firstValidation) = (data.Select(trainRows), data.Select(validationRows));
            if (run.StopReason == StopReason.Diverged) break;
            var member = new BinaryClassifier(preprocessor, scaler, run.Model, run.Spec, 0.5, EmptySummary);
            var probabilities = member.PredictProbabilities(data.Select(validationRows).Features, validationRows.Length);
            for (var i = 0; i < validationRows.Length; i++) outOfFold[validationRows[i]] = probabilities[i];
        }

        var last = runs[^1];
        var metrics = BinaryMetrics.Compute(outOfFold, data.Labels, 0.5);
        (double Threshold, double F1)? best = null;
        if (data.Labels.Contains(1f))
        {
            var search = ThresholdSearch.BestF1(outOfFold, data.Labels);
            best = (search.Threshold, search.F1);
        }
        var threshold = options.Threshold == ThresholdRule.BestF1 && best is { } b ? b.Threshold : 0.5;
        if (threshold != 0.5) metrics = BinaryMetrics.Compute(outOfFold, data.Labels, threshold);

        var first = runs[0];
        var seconds = runs.Sum(static r => r.Elapsed.TotalSeconds);
        var decisions = Decisions(preprocessor.Spec, training, runs, data.Rows);
        var summary = new TrainingSummary(
            DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture),
            Version,
            DescribeOptions(training, members),
            data.Rows,
            data.Rows,
            first.History.Count,
            first.BestEpoch,
            last.StopReason == StopReason.Diverged ? last.StopReason.ToString() : first.StopReason.ToString(),
            seconds,
            [.. first.History.Select(static h => h.TrainLoss)],
            [.. first.History.Select(static h => h.ValidationLoss)],
            MetricsToDictionary(metrics),
            [.. runs.Select(static r => r.BestEpoch)],
            decisions,
            TrainingRowSketch.Build(data.Features, data.Rows, data.Cols));
        var classifier = new BinaryClassifier(preprocessor, scaler, [.. networks], first.Spec, threshold, summary);
        // The diagnosis and the loss curve read the first member's run, on its own fold.
        var reported = last.StopReason == StopReason.Diverged ? last : first;
        return new ClassifierFit(classifier, reported, notices, metrics, best?.Threshold, best?.F1, firstTrain!, firstValidation)
        {
            MemberRuns = runs,
        };
    }

    /// <summary>What the fit decided, in words a user can check against the data.</summary>
    private static List<string> Decisions(PreprocessingSpec spec, TrainingOptions training, IReadOnlyList<TrainingRun>? runs, int rows)
    {
        var decisions = new List<string>();
        var numeric = spec.Columns.Count(static c => c.Kind == ColumnKind.Numeric);
        var categorical = spec.Columns.Where(static c => c.Kind == ColumnKind.Categorical).ToList();
        var dropped = spec.Columns.Count(static c => c.Kind == ColumnKind.Dropped);
        decisions.Add(string.Create(CultureInfo.InvariantCulture,
            $"columns: {numeric} numeric, {categorical.Count} categorical ({categorical.Sum(static c => c.Width)} one-hot features), {dropped} left out"));
        decisions.AddRange(PreprocessingDecisions(spec));
        decisions.Add(training.Normalize switch
        {
            Normalization.Standard => "inputs: standardized ((x − mean)/std per feature, fitted on the training rows)",
            Normalization.BatchNorm => "inputs: a BatchNorm1d layer learns their scaling",
            _ => "inputs: raw (no standardization)",
        });
        var decay = training.Optimizer == OptimizerKind.AdamW && training.WeightDecay == 0 ? Optimizers.AdamW.DefaultWeightDecay : training.WeightDecay;
        decisions.Add(string.Create(CultureInfo.InvariantCulture,
            $"optimizer: {training.Optimizer.ToString().ToLowerInvariant()}, learning rate {training.LearningRate:G3}, weight decay {decay:G3}, schedule {training.Schedule.Kind.ToString().ToLowerInvariant()}, batch {(training.BatchSize == 0 ? "full" : training.BatchSize.ToString(CultureInfo.InvariantCulture))}, at most {training.Epochs} epochs"));
        if (runs is { Count: > 1 })
        {
            var epochs = runs.Select(static r => r.BestEpoch).ToArray();
            decisions.Add(string.Create(CultureInfo.InvariantCulture,
                $"ensemble: {runs.Count} cross-fitted networks, each trained on {runs.Count - 1} of {runs.Count} folds of the {rows} rows and early-stopped on the other (patience {training.Patience}); kept epochs {string.Join(", ", epochs)}; the prediction is their mean probability and the validation metrics are out-of-fold over all {rows} rows"));
        }
        else if (runs is { Count: 1 })
        {
            decisions.Add(string.Create(CultureInfo.InvariantCulture,
                $"one network: kept epoch {runs[0].BestEpoch} of {runs[0].History.Count} run"));
        }
        return decisions;
    }

    private static IEnumerable<string> PreprocessingDecisions(PreprocessingSpec spec)
    {
        var numeric = spec.Columns.Where(static c => c.Kind == ColumnKind.Numeric).ToList();
        var robust = numeric.Count(static c => c.Center is not null);
        if (numeric.Count > 0)
            yield return robust == 0 ? "numeric scaling: none (raw numbers)"
                : string.Create(CultureInfo.InvariantCulture, $"numeric scaling: robust on {robust} of {numeric.Count} numeric columns ((x − median)/IQR, then the smooth clip z/√(1+(z/3)²))");
        var flagged = numeric.Where(static c => c.MissingIndicator).Select(static c => $"'{c.Name}'").ToList();
        if (flagged.Count > 0) yield return $"missing indicators: {string.Join(", ", flagged)}";
        foreach (var c in spec.Columns.Where(static c => c.Kind == ColumnKind.Dropped)) yield return $"left out '{c.Name}': {c.Reason}";
    }
}
