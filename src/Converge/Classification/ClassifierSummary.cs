using System.Globalization;
using Converge.Data;
using Converge.Evaluation;
using Converge.Persistence;
using Converge.Training;

namespace Converge.Classification;

/// <summary>
/// The <see cref="TrainingSummary"/> a fit leaves in the model file: the options that mattered, the
/// reported run's losses, the validation metrics, and what the defaults decided, in words a user can
/// check against the data.
/// </summary>
internal static class ClassifierSummary
{
    public static TrainingSummary Build(FittedNetworks fitted, TrainingOptions training, BinaryMetrics? metrics, CalibrationDecision calibration, string? membersNote)
    {
        var decisions = Decisions(fitted.Preprocessor.Spec, training, fitted.Runs, fitted.TrainRows, fitted.Folds, fitted.ScoredLabels.Length);
        if (membersNote is not null) decisions.Add(membersNote);
        decisions.Add(TrainingSummary.CalibrationDecisionPrefix + calibration.Reason);
        var run = fitted.Reported;
        var ensemble = fitted.Runs.Count > 1;
        var validationRows = fitted.ScoredLabels.Length;
        return new TrainingSummary(
            DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture),
            BinaryClassifier.Version,
            DescribeOptions(training, fitted.Runs.Count),
            fitted.TrainRows,
            validationRows,
            run.History.Count,
            run.BestEpoch,
            run.StopReason.ToString(),
            fitted.Runs.Sum(static r => r.Elapsed.TotalSeconds),
            [.. run.History.Select(static h => h.TrainLoss)],
            validationRows == 0 ? [] : [.. run.History.Select(static h => h.ValidationLoss)],
            metrics is null ? new Dictionary<string, double>() : metrics.ToDictionary(),
            ensemble ? [.. fitted.Runs.Select(static r => r.BestEpoch)] : null,
            decisions,
            TrainingRowSketch.Build(fitted.Sketch.Features, fitted.Sketch.Rows, fitted.Sketch.Cols))
        {
            CalibrationLogLoss = calibration.CrossValidatedLogLoss.Count == 0 ? null : calibration.CrossValidatedLogLoss,
        };
    }

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

    private static List<string> Decisions(PreprocessingSpec spec, TrainingOptions training, IReadOnlyList<TrainingRun> runs, int rows, int folds, int scored)
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
        if (runs.Count > 1)
        {
            var epochs = runs.Select(static r => r.BestEpoch).ToArray();
            decisions.Add(string.Create(CultureInfo.InvariantCulture,
                $"ensemble: {runs.Count} cross-fitted networks, each trained on {folds - 1} of {folds} folds of the {rows} rows and early-stopped on the other (patience {training.Patience}); kept epochs {string.Join(", ", epochs)}; the prediction is their mean probability and the validation metrics are out-of-fold over {(scored == rows ? $"all {rows}" : $"the {scored} of their folds (interrupted after member {runs.Count} of {folds})")} rows"));
        }
        else
        {
            decisions.Add(string.Create(CultureInfo.InvariantCulture, $"one network: kept epoch {runs[0].BestEpoch} of {runs[0].History.Count} run"));
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
