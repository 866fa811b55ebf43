using Converge.Modules;
using Converge.Tensors;
using Converge.Training;

namespace Converge.Diagnosis;

/// <summary>
/// Runs a counterfactual honestly: both runs use the same data, seed and number of epochs, with early
/// stopping off unless early stopping is the remedy, and the same metric on the same rows.
/// </summary>
internal static class Confirmations
{
    public static Confirmation Run(TrainingData train, TrainingData? validation, TrainingOptions options, Counterfactual remedy, int epochs, CancellationToken cancellation)
    {
        var budget = Math.Max(1, Math.Min(epochs, options.Epochs));
        var baseline = options with { Epochs = budget, Patience = 0, MonitorEvery = 0 };
        var remedied = remedy.Apply(baseline) with { Epochs = budget, MonitorEvery = 0 };
        var scoreOn = remedy.Metric == ConfirmationMetric.TrainLogLoss ? train : validation ?? train;
        // Validation rows steer a run (the trainer restores the best validation epoch) only when they are the metric;
        // otherwise both runs keep their final weights.
        var steer = remedy.Metric == ConfirmationMetric.ValidationLogLoss ? validation : null;
        var before = TabularRecipe.Fit(train, steer, baseline, cancellation: cancellation);
        var after = TabularRecipe.Fit(train, steer, remedied, cancellation: cancellation);
        var (b, a) = (Score(before, scoreOn, remedy.Metric), Score(after, scoreOn, remedy.Metric));
        var lowerIsBetter = remedy.Metric != ConfirmationMetric.BalancedAccuracy;
        var gain = lowerIsBetter ? (b - a) / Math.Max(b, 1e-12) : a - b;
        var notes = new List<string>();
        if (remedy.Note is not null) notes.Add(remedy.Note);
        if (before.StopReason == StopReason.Diverged) notes.Add($"The run as configured diverged ({before.Divergence}); it is scored with its last good weights.");
        if (after.StopReason == StopReason.Diverged) notes.Add($"The remedied run diverged ({after.Divergence}); it is scored with its last good weights.");
        if (after.StopReason == StopReason.EarlyStopped) notes.Add($"The remedied run stopped early at epoch {after.History.Count} (best epoch {after.BestEpoch}).");
        var steps = Math.Max(before.History.Count, 1) * StepsPerEpoch(train.Rows, options.BatchSize);
        return new Confirmation(remedy.Tried, MetricName(remedy.Metric, scoreOn == train), b, a, budget, steps, gain,
            double.IsFinite(gain) && gain >= 0.01, notes.Count == 0 ? null : string.Join(" ", notes));
    }

    internal static int StepsPerEpoch(int rows, int batchSize)
    {
        if (batchSize == 0 || batchSize >= rows) return 1;
        var remainder = rows % batchSize;
        return rows / batchSize + (remainder > 1 ? 1 : 0);   // a trailing single row is skipped (BatchNorm)
    }

    private static string MetricName(ConfirmationMetric metric, bool onTrain) => metric switch
    {
        ConfirmationMetric.TrainLogLoss => "training log loss",
        ConfirmationMetric.ValidationLogLoss => "validation log loss",
        _ => onTrain ? "balanced accuracy (training rows)" : "balanced accuracy (validation rows)",
    };

    private static double Score(TrainingRun run, TrainingData data, ConfirmationMetric metric)
    {
        var p = Probabilities(run, data);
        if (metric != ConfirmationMetric.BalancedAccuracy) return InitChecks.LogLoss(p, data.Labels);
        var (tp, pos, tn, neg) = (0, 0, 0, 0);
        for (var i = 0; i < data.Rows; i++)
        {
            if (data.Labels[i] == 1f) { pos++; if (p[i] >= 0.5f) tp++; }
            else { neg++; if (p[i] < 0.5f) tn++; }
        }
        return ((pos == 0 ? 1 : tp / (double)pos) + (neg == 0 ? 1 : tn / (double)neg)) / 2;
    }

    private static float[] Probabilities(TrainingRun run, TrainingData data)
    {
        var x = (float[])data.Features.Clone();
        run.Scaler?.Transform(x);
        using var _ = Tensor.NoGrad();
        Module model = run.Model;
        model.Eval();
        var p = (float[])model.Forward(new Tensor(x, data.Rows, data.Cols)).Data.Clone();
        if (!run.Spec.OutputSigmoid) System.Numerics.Tensors.TensorPrimitives.Sigmoid(p, p);
        return p;
    }
}
