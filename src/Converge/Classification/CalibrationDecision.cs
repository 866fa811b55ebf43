using System.Globalization;
using Converge.Data;
using Converge.Evaluation;
using Converge.Training;

namespace Converge.Classification;

/// <summary>
/// Whether, and how, to recalibrate a fitted model's probabilities — decided by measurement. The scores
/// are rows the networks did not train on (the hold-out, or out-of-fold). Each method is cross-validated
/// on them (fitted on four fifths, scored on the fifth), so its log loss is measured on rows its own fit
/// never saw; without a forced method the lowest wins, and only if it beats the raw probabilities by at
/// least <see cref="MinimumGain"/> (relative): a calibration that does not measurably help is not used.
/// The chosen map is then fitted on all the scored rows, and the reported validation metrics use the
/// cross-validated scores, never the in-sample ones.
/// </summary>
/// <param name="Calibration">The map saved in the model, or null.</param>
/// <param name="HonestScores">The scores for the validation metrics: raw, or the chosen method's cross-validated ones.</param>
/// <param name="FinalScores">The scores the saved model gives these rows (for the threshold).</param>
/// <param name="CrossValidatedLogLoss">Log loss of none / platt / isotonic as measured; empty when not measured.</param>
/// <param name="Reason">What was decided and why, in words (saved after <see cref="Persistence.TrainingSummary.CalibrationDecisionPrefix"/>).</param>
internal sealed record CalibrationDecision(
    ProbabilityCalibration? Calibration,
    float[] HonestScores,
    float[] FinalScores,
    IReadOnlyDictionary<string, double> CrossValidatedLogLoss,
    string Reason)
{
    /// <summary>The smallest relative log-loss gain for which the measured choice calibrates.</summary>
    public const double MinimumGain = 0.01;

    /// <summary>Fewest scored rows, and of each class, before a calibration is measured at all.</summary>
    public const int MinimumRows = 100, MinimumPerClass = 10;

    private const int Folds = 5;

    /// <summary>The method names, as in JSON and the model file.</summary>
    public static string Name(CalibrationMethod method) => method.ToString().ToLowerInvariant();

    public static CalibrationDecision Choose(float[] scores, float[] labels, CalibrationMethod? wanted, ulong seed)
    {
        var positives = labels.Count(static l => l == 1f);
        var minority = Math.Min(positives, labels.Length - positives);
        if (wanted == CalibrationMethod.None) return Raw(scores, "none (as asked)");
        if (labels.Length < MinimumRows || minority < MinimumPerClass)
            return Raw(scores, string.Create(CultureInfo.InvariantCulture,
                $"none ({labels.Length} validation rows, {minority} in the smaller class: too few to measure a calibration; it needs {MinimumRows} and {MinimumPerClass}{(wanted is null ? "" : $", so the asked-for {Name(wanted.Value)} is not applied")})"));

        var fold = DataSplit.StratifiedFolds(labels, Folds, seed);
        var logLoss = new Dictionary<string, double>(StringComparer.Ordinal) { [Name(CalibrationMethod.None)] = LogLoss(scores, labels) };
        var crossValidated = new Dictionary<CalibrationMethod, float[]>();
        foreach (var method in new[] { CalibrationMethod.Platt, CalibrationMethod.Isotonic })
        {
            var honest = new float[scores.Length];
            for (var k = 0; k < Folds; k++)
            {
                var fitRows = Enumerable.Range(0, scores.Length).Where(i => fold[i] != k).ToArray();
                var map = ProbabilityCalibration.Fit(method, [.. fitRows.Select(i => scores[i])], [.. fitRows.Select(i => labels[i])]);
                for (var i = 0; i < scores.Length; i++)
                    if (fold[i] == k) honest[i] = map.Apply(scores[i]);
            }
            crossValidated[method] = honest;
            logLoss[Name(method)] = LogLoss(honest, labels);
        }

        var raw = logLoss[Name(CalibrationMethod.None)];
        var chosen = wanted ?? crossValidated.Keys.MinBy(m => logLoss[Name(m)]);
        var gain = (raw - logLoss[Name(chosen)]) / raw;
        var measured = string.Join(", ", logLoss.Select(static kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key} {kv.Value:F4}")));
        if (wanted is null && !(gain >= MinimumGain))
            return Raw(scores, $"none (cross-validated log loss on the {labels.Length} validation rows: {measured}; no method gains {MinimumGain:P0})", logLoss);
        var calibration = ProbabilityCalibration.Fit(chosen, scores, labels);
        var final = (float[])scores.Clone();
        calibration.Apply(final);
        return new CalibrationDecision(calibration, crossValidated[chosen], final, logLoss,
            string.Create(CultureInfo.InvariantCulture,
                $"{Name(chosen)} {(wanted is null ? "(measured best" : "(as asked")}; cross-validated log loss on the {labels.Length} validation rows: {measured}), fitted on those rows and applied to every prediction"));
    }

    /// <summary>No calibration, for the reason given.</summary>
    public static CalibrationDecision Skip(float[] scores, string reason) => Raw(scores, reason);

    private static CalibrationDecision Raw(float[] scores, string reason, IReadOnlyDictionary<string, double>? logLoss = null) =>
        new(null, scores, scores, logLoss ?? new Dictionary<string, double>(), reason);

    private static double LogLoss(float[] p, float[] labels)
    {
        double sum = 0;
        for (var i = 0; i < p.Length; i++) sum += BinaryMetrics.CrossEntropy(p[i], labels[i] == 1f);
        return sum / p.Length;
    }
}
