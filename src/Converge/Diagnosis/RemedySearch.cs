using System.Diagnostics;
using System.Globalization;
using Converge.Evaluation;
using Converge.Training;
using static Converge.Diagnosis.FindingCodes;

namespace Converge.Diagnosis;

/// <summary>One candidate remedy the search ran.</summary>
/// <param name="Tried">What was changed, in words.</param>
/// <param name="Flags">The same as CLI flags.</param>
/// <param name="Code">The same as C# on the run's options.</param>
/// <param name="Metric">The search's metric after the run with this remedy.</param>
/// <param name="Epochs">Epochs it trained.</param>
/// <param name="StopReason">Why it ended.</param>
/// <param name="Elapsed">Wall time of its training.</param>
public sealed record RemedyTrial(string Tried, string Flags, string Code, double Metric, int Epochs, StopReason StopReason, TimeSpan Elapsed);

/// <summary>
/// What the remedy search did: every candidate it ran on the same data and seed, its budget, and the best
/// remedy with the outcome (<see cref="Best"/>; also attached to the top finding).
/// </summary>
/// <param name="Metric">What every run was scored by, e.g. "training log loss".</param>
/// <param name="Baseline">The metric of the run as configured.</param>
/// <param name="Best">The best remedy put to the test, with its outcome.</param>
/// <param name="Trials">Every candidate run, in the order tried.</param>
/// <param name="EpochsPerTrial">The epoch budget of each candidate (the run's own epochs, or fewer when the time budget is short).</param>
/// <param name="Skipped">Candidates not run because the time budget ran out.</param>
/// <param name="Budget">The compute budget in seconds (<see cref="DoctorOptions.SearchSeconds"/>).</param>
/// <param name="Elapsed">Wall time of the whole search, the reference run included.</param>
public sealed record RemedySearchResult(
    string Metric,
    double Baseline,
    Confirmation Best,
    IReadOnlyList<RemedyTrial> Trials,
    int EpochsPerTrial,
    int Skipped,
    double Budget,
    TimeSpan Elapsed)
{
    /// <summary>One sentence: repaired / improved / no remedy tried helped, with before → after.</summary>
    public string Summary => Best.Outcome switch
    {
        RemedyOutcome.Repaired => string.Create(CultureInfo.InvariantCulture,
            $"Repaired by {Best.Flags}: {Metric} {Best.Baseline:G4} → {Best.Remedied:G4} (healthy: {HealthyText}), same data and seed."),
        RemedyOutcome.Improved => string.Create(CultureInfo.InvariantCulture,
            $"Improved, not repaired, by {Best.Flags}: {Metric} {Best.Baseline:G4} → {Best.Remedied:G4} (healthy would be {HealthyText})."),
        _ => string.Create(CultureInfo.InvariantCulture, $"No remedy tried helped ({Trials.Count} tried; best {Metric} {Best.Remedied:G4} against {Best.Baseline:G4} as configured)."),
    };

    private string HealthyText => string.Create(CultureInfo.InvariantCulture,
        $"{(Metric.Contains("loss", StringComparison.Ordinal) ? "≤" : "≥")} {Best.HealthyLevel:G3}, {Best.HealthyBasis}");
}

/// <summary>
/// The remedy search: for a run's problems, trains each candidate remedy (single and combined changes of the
/// options) on the same rows and seed, within a compute budget, scores all on one metric and judges the best
/// against a healthy level: a loss at most a tenth of the base-rate loss, or within 10 % of what Converge's
/// default configuration reaches on the same data in the same epochs.
/// </summary>
internal static class RemedySearch
{
    /// <summary>A loss at or below this share of the base-rate loss is healthy without a reference run.</summary>
    public const double WellBelowBaseRate = 0.1;

    /// <summary>A loss within this factor of the default configuration's is healthy…</summary>
    public const double ReferenceSlack = 1.1;

    /// <summary>…as long as it is also at most this share of the base-rate loss.</summary>
    public const double HealthyCeiling = 0.9;

    /// <summary>Balanced accuracy at most this far below the default configuration's (with the positive-class weight) is healthy.</summary>
    public const double AccuracySlack = 0.02;

    /// <summary>A candidate gets at least this many epochs (or the run's own, if fewer), whatever the time budget.</summary>
    public const int MinimumEpochs = 50;

    private const int ReferenceEpochs = 300;

    private enum Kind { TrainLogLoss, ValidationLogLoss, BalancedAccuracy }

    public static RemedySearchResult? Run(TrainingData train, TrainingData? validation, TrainingOptions options, TrainingRun run,
        IReadOnlyList<Finding> findings, DoctorOptions doctor, CancellationToken cancellation)
    {
        var problems = findings.Where(static f => f.Severity >= Severity.Warning).ToList();
        if (problems.Count == 0) return null;
        var candidates = Remedies.For(problems.Select(static f => f.Code), options, validation is not null);
        if (candidates.Count == 0) return null;

        var clock = Stopwatch.StartNew();
        var kind = problems[0].Code == ClassImbalance ? Kind.BalancedAccuracy : validation is null ? Kind.TrainLogLoss : Kind.ValidationLogLoss;
        var scoreOn = kind == Kind.TrainLogLoss ? train : validation ?? train;
        var baseRate = CrossEntropyOfConstant(scoreOn.Labels, train.PositiveRate);
        var before = Score(run, scoreOn, kind);

        var secondsPerEpoch = Math.Max(run.Elapsed.TotalSeconds / Math.Max(1, run.History.Count), 1e-7);
        var affordable = doctor.SearchSeconds / (candidates.Count + 1) / secondsPerEpoch;
        var epochs = options.Epochs;
        if (doctor.MaxEpochs > 0) epochs = Math.Min(epochs, doctor.MaxEpochs);
        epochs = (int)Math.Clamp(Round(affordable), Math.Min(epochs, MinimumEpochs), epochs);
        var trialOptions = options with { Epochs = epochs, MonitorEvery = 0 };

        var trials = new List<(Candidate Candidate, RemedyTrial Trial, int Steps, Func<double, int> Reached)>();
        var skipped = 0;
        foreach (var candidate in candidates)
        {
            cancellation.ThrowIfCancellationRequested();
            if (trials.Count > 0 && clock.Elapsed.TotalSeconds > 2 * doctor.SearchSeconds)
            {
                skipped++;
                continue;
            }
            var remedied = candidate.Apply(trialOptions);
            var result = TabularRecipe.Fit(train, validation, remedied, cancellation: cancellation);
            var metric = Score(result, scoreOn, kind);
            var curve = result.History.Select(h => kind == Kind.ValidationLogLoss ? h.ValidationLoss : h.TrainLoss).ToArray();
            trials.Add((candidate, new RemedyTrial(candidate.Tried, candidate.Flags, candidate.Code, metric, result.History.Count, result.StopReason, result.Elapsed),
                result.History.Count * StepsPerEpoch(train.Rows, remedied.BatchSize), level => FirstEpochAtOrBelow(curve, level)));
        }

        var lowerIsBetter = kind != Kind.BalancedAccuracy;
        double Better(double m) => double.IsFinite(m) ? (lowerIsBetter ? -m : m) : double.NegativeInfinity;
        var top = trials.MaxBy(t => Better(t.Trial.Metric));
        var (level, basis) = lowerIsBetter && top.Trial.Metric <= WellBelowBaseRate * baseRate
            ? (WellBelowBaseRate * baseRate, string.Create(CultureInfo.InvariantCulture, $"a tenth of the base-rate loss {baseRate:G3}"))
            : Healthy(train, validation, options, scoreOn, kind, baseRate, epochs, cancellation);
        bool IsHealthy(double m) => double.IsFinite(m) && (lowerIsBetter ? m <= level : m >= level);
        // Among remedies that reach the healthy level: those that keep the user's network first, then the one that gets
        // there in the fewest epochs, then the simplest; otherwise the best metric, or a simpler remedy within 1 % of it.
        var healthyTrials = trials.Where(t => IsHealthy(t.Trial.Metric)).ToList();
        var best = healthyTrials.Count > 0
            ? healthyTrials.OrderBy(static t => t.Candidate.ChangesNetwork).ThenBy(t => kind == Kind.BalancedAccuracy ? 0 : Bucket(t.Reached(level))).ThenBy(static t => t.Candidate.Changes.Count).First()
            : trials.Where(t => Close(t.Trial.Metric, top.Trial.Metric, lowerIsBetter)).OrderBy(static t => t.Candidate.Changes.Count).First();
        var after = best.Trial.Metric;
        var gain = lowerIsBetter ? (before - after) / Math.Max(before, 1e-12) : after - before;
        var helped = double.IsFinite(gain) && (lowerIsBetter
            ? gain >= 0.01 && after < DynamicsChecks.StuckShare * baseRate
            : gain >= 0.01 && after > 0.55);
        var healthy = IsHealthy(after);
        var outcome = !helped ? RemedyOutcome.NotHelped : healthy ? RemedyOutcome.Repaired : RemedyOutcome.Improved;

        var notes = new List<string>();
        if (run.StopReason == StopReason.Diverged) notes.Add("The run as configured diverged; it is scored with its last good weights.");
        if (best.Trial.StopReason == StopReason.Diverged) notes.Add("The remedied run diverged; it is scored with its last good weights.");
        if (kind == Kind.BalancedAccuracy) notes.Add("Judged by balanced accuracy, not log loss: weighting the minority class trades calibration for finding it.");
        if (outcome == RemedyOutcome.NotHelped && (lowerIsBetter ? before <= level : before >= level))
            notes.Add("The run as configured already reaches the healthy level.");
        var confirmation = new Confirmation(best.Candidate.Tried, MetricName(kind), before, after, best.Trial.Epochs, best.Steps, gain,
            outcome != RemedyOutcome.NotHelped, notes.Count == 0 ? null : string.Join(" ", notes))
        {
            Outcome = outcome,
            Flags = best.Candidate.Flags,
            Code = best.Candidate.Code,
            HealthyLevel = level,
            HealthyBasis = basis,
            BaseRateLoss = lowerIsBetter ? baseRate : double.NaN,
            BaselineEpochs = run.History.Count,
        };
        return new RemedySearchResult(MetricName(kind), before, confirmation, [.. trials.Select(static t => t.Trial)], epochs, skipped,
            doctor.SearchSeconds, clock.Elapsed);
    }

    /// <summary>Rounds down to 1, 2 or 5 × 10^k, so that the same budget on a slightly faster or slower machine gives the same epochs.</summary>
    private static double Round(double epochs)
    {
        if (!(epochs >= 1)) return 0;
        var decade = Math.Pow(10, Math.Floor(Math.Log10(epochs)));
        var lead = epochs / decade;
        return decade * (lead >= 5 ? 5 : lead >= 2 ? 2 : 1);
    }

    /// <summary>The first epoch whose recorded loss is at or below <paramref name="level"/>; past the end when none is.</summary>
    private static int FirstEpochAtOrBelow(double[] curve, double level)
    {
        var i = Array.FindIndex(curve, l => l <= level);
        return i < 0 ? int.MaxValue : i + 1;
    }

    // Epoch counts within about 10 % of each other are a tie.
    private static double Bucket(int epochs) => epochs == int.MaxValue ? double.MaxValue : Math.Floor(Math.Log(epochs) / Math.Log(1.1));

    private static bool Close(double candidate, double best, bool lowerIsBetter) =>
        double.IsFinite(candidate) && (lowerIsBetter ? candidate <= best * 1.01 + 1e-4 : candidate >= best - 0.005);

    /// <summary>The healthy level from a reference run of Converge's defaults on the same rows, seed and epochs (at most 300).</summary>
    private static (double Level, string Basis) Healthy(TrainingData train, TrainingData? validation, TrainingOptions options, TrainingData scoreOn,
        Kind kind, double baseRate, int epochs, CancellationToken cancellation)
    {
        var defaults = new TrainingOptions
        {
            Epochs = Math.Min(epochs, ReferenceEpochs), Seed = options.Seed, MonitorEvery = 0, Patience = validation is null ? 0 : new TrainingOptions().Patience,
            PosWeight = kind == Kind.BalancedAccuracy ? double.NaN : null,
        };
        var reference = Score(TabularRecipe.Fit(train, validation, defaults, cancellation: cancellation), scoreOn, kind);
        if (kind == Kind.BalancedAccuracy)
            return (reference - AccuracySlack, string.Create(CultureInfo.InvariantCulture, $"within {AccuracySlack:G2} of the {reference:G3} Converge's defaults with --pos-weight auto reach"));
        var level = Math.Min(ReferenceSlack * reference, HealthyCeiling * baseRate);
        return (Math.Max(level, WellBelowBaseRate * baseRate), string.Create(CultureInfo.InvariantCulture,
            $"within 10 % of the {reference:G3} Converge's defaults reach in {defaults.Epochs} epochs, and below {HealthyCeiling:P0} of the base-rate loss {baseRate:G3}"));
    }

    internal static int StepsPerEpoch(int rows, int batchSize)
    {
        if (batchSize == 0 || batchSize >= rows) return 1;
        var remainder = rows % batchSize;
        return rows / batchSize + (remainder > 1 ? 1 : 0);   // a trailing single row is skipped (BatchNorm)
    }

    private static string MetricName(Kind kind) => kind switch
    {
        Kind.TrainLogLoss => "training log loss",
        Kind.ValidationLogLoss => "validation log loss",
        _ => "balanced accuracy",
    };

    /// <summary>Log loss on <paramref name="labels"/> of always predicting <paramref name="positiveRate"/>.</summary>
    internal static double CrossEntropyOfConstant(float[] labels, double positiveRate)
    {
        var positives = labels.Count(static l => l == 1f);
        return (positives * BinaryMetrics.CrossEntropy(positiveRate, true) + (labels.Length - positives) * BinaryMetrics.CrossEntropy(positiveRate, false)) / labels.Length;
    }

    private static double Score(TrainingRun run, TrainingData data, Kind kind)
    {
        var p = NetworkProbability.Of(run.Model, data.Features, data.Rows, data.Cols, !run.Spec.OutputSigmoid, run.Scaler);
        return kind == Kind.BalancedAccuracy ? BalancedAccuracy(p, data.Labels) : InitChecks.LogLoss(p, data.Labels);
    }

    internal static double BalancedAccuracy(float[] p, float[] labels)
    {
        var (tp, pos, tn, neg) = (0, 0, 0, 0);
        for (var i = 0; i < labels.Length; i++)
        {
            if (labels[i] == 1f) { pos++; if (p[i] >= 0.5f) tp++; }
            else { neg++; if (p[i] < 0.5f) tn++; }
        }
        return ((pos == 0 ? 1 : tp / (double)pos) + (neg == 0 ? 1 : tn / (double)neg)) / 2;
    }
}
