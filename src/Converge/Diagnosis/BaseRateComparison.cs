using System.Globalization;
using Converge.Training;

namespace Converge.Diagnosis;

/// <summary>
/// A trained model's log loss against the loss of always predicting the training positive rate, on the
/// validation rows when there are any (else the training rows): a model at or above
/// <see cref="DynamicsChecks.StuckShare"/> of the base-rate loss has learned nothing a constant would not.
/// </summary>
/// <param name="LogLoss">The model's log loss (unweighted) on the rows.</param>
/// <param name="BaseRateLoss">The log loss on the same rows of predicting the training positive rate.</param>
/// <param name="Rows">Which rows: "validation" or "training".</param>
public sealed record BaseRateComparison(double LogLoss, double BaseRateLoss, string Rows)
{
    /// <summary>True when the model does no better than the base rate (or its loss is not a number).</summary>
    public bool NoBetter => !(LogLoss < DynamicsChecks.StuckShare * BaseRateLoss);

    /// <summary>One sentence, e.g. "validation log loss 0.687 is no better than the base-rate loss 0.666: the model predicts no more than the class frequency."</summary>
    public string Message => NoBetter
        ? string.Create(CultureInfo.InvariantCulture, $"The {Rows} log loss {LogLoss:G3} is no better than the base-rate loss {BaseRateLoss:G3} (always predicting the positive rate): the model has learned nothing a constant would not.")
        : string.Create(CultureInfo.InvariantCulture, $"The {Rows} log loss {LogLoss:G3} against the base-rate loss {BaseRateLoss:G3}.");

    /// <summary>Compares <paramref name="run"/>'s model with the base rate of <paramref name="train"/>.</summary>
    public static BaseRateComparison Of(TrainingRun run, TrainingData train, TrainingData? validation)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(train);
        var rows = validation ?? train;
        var p = NetworkProbability.Of(run.Model, rows.Features, rows.Rows, rows.Cols, !run.Spec.OutputSigmoid, run.Scaler);
        var loss = p.All(float.IsFinite) ? InitChecks.LogLoss(p, rows.Labels) : double.NaN;
        return new BaseRateComparison(loss, RemedySearch.CrossEntropyOfConstant(rows.Labels, train.PositiveRate), validation is null ? "training" : "validation");
    }
}
