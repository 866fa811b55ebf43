using System.Globalization;
using Converge.Training;
using static Converge.Diagnosis.FindingCodes;

namespace Converge.Diagnosis;

/// <summary>
/// Checks on a finished run, reading only the recorded numbers (per-epoch losses, sampled monitors, the stop
/// reason), so they are testable with plain arrays: divergence, oscillation, a loss stuck at the base rate or
/// still falling steadily at the end, gradient norms, the first layer's bias outpacing its weights,
/// overfitting, and saturation or dead ReLUs that grow.
/// </summary>
public static class DynamicsChecks
{
    /// <summary>A final loss at or above this share of the base-rate loss is "stuck".</summary>
    public const double StuckShare = 0.95;

    /// <summary>A loss still falling by at least this fraction over the last 10 % of the epochs is "still falling"…</summary>
    public const double StillFalling = 0.02;

    /// <summary>…and "slow" when it ends above this share of the base-rate loss (far from converged).</summary>
    public const double FarFromConverged = 0.25;

    /// <summary>Share of sign changes of the epoch-to-epoch loss difference (last half) at or above this is "oscillating"…</summary>
    public const double SignChangeShare = 0.35;

    /// <summary>…when the mean |Δloss| is also at least this share of the base-rate loss and of the mean loss.</summary>
    public const double OscillationAmplitude = 0.05;

    /// <summary>A global gradient norm above this is "exploding".</summary>
    public const double ExplodingNorm = 1e3;

    /// <summary>A median first-layer / last-layer weight-gradient norm ratio below this is "vanishing".</summary>
    public const double VanishingRatio = 1e-3;

    /// <summary>A median first-layer relative bias change / relative weight change at or above this is reported.</summary>
    public const double BiasToWeightRatio = 10;

    /// <summary>A final validation loss at least this fraction above its minimum (and 0.02 absolute), while the training loss fell, is "overfitting".</summary>
    public const double OverfitRise = 0.2;

    /// <summary>A saturated share (sigmoid/tanh) or dead share (ReLU) at the last sample at or above this, and 0.2 above the first sample, has "grown".</summary>
    public const double GrownShare = 0.5;

    /// <summary>Checks a run; <paramref name="baseRateLoss"/> is the loss of predicting the training positive rate.</summary>
    public static IReadOnlyList<Finding> Run(TrainingRun run, double baseRateLoss, TrainingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        return Run(run.History, run.StopReason, run.Divergence, baseRateLoss, options);
    }

    /// <summary>Checks recorded numbers: the history, why it stopped, and the divergence message if any.</summary>
    public static IReadOnlyList<Finding> Run(IReadOnlyList<EpochLog> history, StopReason stopReason, string? divergence, double baseRateLoss, TrainingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(history);
        options ??= new TrainingOptions();
        var findings = new List<Finding>();
        if (history.Count == 0) return findings;
        if (stopReason == StopReason.Diverged) Diverged(history, divergence, options, findings);
        var losses = history.Select(static h => h.TrainLoss).Where(double.IsFinite).ToArray();
        if (losses.Length >= 4)
        {
            var oscillating = Oscillation(losses, baseRateLoss, options, findings);
            if (!oscillating && stopReason != StopReason.Diverged) Progress(losses, stopReason, baseRateLoss, options, findings);
        }
        var samples = history.Where(static h => h.Monitor is not null).Select(static h => (h.Epoch, Sample: h.Monitor!)).ToList();
        if (samples.Count > 0)
        {
            GradientChecks.Run(samples, options, findings);
            Growth(samples, losses.Length > 0 && losses[^1] > FarFromConverged * baseRateLoss, findings);
        }
        Overfitting(history, stopReason, options, findings);
        return findings;
    }

    private static string Lr(double lr) => lr.ToString("G3", CultureInfo.InvariantCulture);

    private static void Diverged(IReadOnlyList<EpochLog> history, string? divergence, TrainingOptions options, List<Finding> findings)
    {
        var last = history[^1];
        findings.Add(new Finding(Severity.Error, FindingCodes.Diverged, $"Training diverged at epoch {last.Epoch}: the loss became {G(last.TrainLoss)}.",
            new Dictionary<string, double>(StringComparer.Ordinal) { ["epoch"] = last.Epoch, ["learningRate"] = last.LearningRate },
            divergence ?? $"the loss became {G(last.TrainLoss)} at epoch {last.Epoch}; the weights from the epoch before were kept.",
            "A step overshot so far that the loss or a weight overflowed; usually the learning rate is too high for the scale of the inputs or the loss.",
            $"--lr {Lr(last.LearningRate / 10)} (a tenth), and/or --clip 1; check --normalize standard."));
    }

    private static bool Oscillation(double[] losses, double baseRateLoss, TrainingOptions options, List<Finding> findings)
    {
        var window = losses[(losses.Length / 2)..];
        if (window.Length < 4) return false;
        var diffs = window.Zip(window.Skip(1), static (a, b) => b - a).ToArray();
        var changes = diffs.Zip(diffs.Skip(1)).Count(static d => Math.Sign(d.First) * Math.Sign(d.Second) < 0) / (double)(diffs.Length - 1);
        var amplitude = diffs.Average(Math.Abs);
        var mean = window.Average();
        var rise = losses[^1] - losses.Min();
        var bouncing = changes >= SignChangeShare && amplitude >= OscillationAmplitude * Math.Max(baseRateLoss, 1e-3) && amplitude >= OscillationAmplitude * mean;
        var climbing = rise >= Math.Max(0.1 * baseRateLoss, 0.5 * losses.Min()) && rise > 0.02;
        if (!bouncing && !climbing) return false;
        findings.Add(new Finding(Severity.Warning, FindingCodes.Oscillation,
            bouncing ? $"The training loss oscillates: it changes direction in {Pct(changes)} of the epochs, by {G(amplitude)} on average."
                     : $"The training loss climbed back {G(rise)} above its minimum {G(losses.Min())}.",
            new Dictionary<string, double>(StringComparer.Ordinal) { ["signChangeShare"] = changes, ["meanAbsDelta"] = amplitude, ["meanLoss"] = mean, ["riseAboveMinimum"] = rise, ["learningRate"] = options.LearningRate },
            $"last {window.Length} epochs: {Pct(changes)} sign changes of Δloss (threshold {Pct(SignChangeShare)}), mean |Δloss| {G(amplitude)} vs mean loss {G(mean)} and base-rate loss {G(baseRateLoss)} (threshold {Pct(OscillationAmplitude)} of each); final loss {G(losses[^1])}, minimum {G(losses.Min())}.",
            "Steps overshoot the minimum and bounce across the valley: the learning rate is too high.",
            $"--lr {Lr(options.LearningRate / 10)} (a tenth of {Lr(options.LearningRate)}), or a decaying schedule (--schedule cosine)."));
        return true;
    }

    private static void Progress(double[] losses, StopReason stopReason, double baseRateLoss, TrainingOptions options, List<Finding> findings)
    {
        var final = losses[^1];
        var tenth = Math.Max(1, losses.Length / 10);
        var earlier = losses[^(tenth + 1)];
        var drop = (earlier - final) / earlier;
        var values = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["finalLoss"] = final, ["baseRateLoss"] = baseRateLoss, ["dropOverLastTenth"] = drop, ["epochs"] = losses.Length, ["learningRate"] = options.LearningRate,
        };
        if (final >= StuckShare * baseRateLoss && losses.Length >= 10)
        {
            findings.Add(new Finding(Severity.Warning, StuckAtBaseRate, $"The training loss {G(final)} is stuck near the base-rate loss {G(baseRateLoss)}: the model predicts little more than the class frequency.",
                values, $"final loss {G(final)} ≥ {Pct(StuckShare)} of the base-rate loss {G(baseRateLoss)} after {losses.Length} epochs.",
                "The network has not found any signal: the learning rate may be far too low, the inputs unscaled or saturating, or the features uninformative.",
                options.LearningRate > Remedies.HighLearningRate
                    ? $"--lr {Lr(options.LearningRate / 10)} (a tenth of {Lr(options.LearningRate)}: a rate this high throws the weights far off); check the data findings."
                    : $"--lr {Lr(options.LearningRate * 10)} (ten times {Lr(options.LearningRate)}); check the data findings; if nothing helps, the features may not predict the label."));
            return;
        }
        var fallingSteps = losses[^(tenth + 1)..].Zip(losses[^tenth..], static (a, b) => b < a).Count(static f => f) / (double)tenth;
        if (stopReason != StopReason.Completed || drop < StillFalling || final < FarFromConverged * baseRateLoss || fallingSteps < 0.8) return;
        findings.Add(new Finding(Severity.Warning, SlowConvergence, $"The loss is still falling steadily at the end ({Pct(drop)} over the last {Plural.Of(tenth, "epoch")}) and is far from converged.",
            values,
            $"loss {G(earlier)} → {G(final)} over the last {tenth} of {losses.Length} epochs (a drop of {Pct(drop)} ≥ {Pct(StillFalling)}, falling in {Pct(fallingSteps)} of them); final loss {Pct(final / baseRateLoss)} of the base-rate loss {G(baseRateLoss)} (> {Pct(FarFromConverged)}).",
            "Training is making steady but slow progress: the steps are too small for the loss surface, most often because of unscaled inputs or a learning rate that is too low.",
            options.Normalize == Normalization.None
                ? "--normalize standard first; then, if still slow, --lr " + Lr(options.LearningRate * 10)
                : $"--lr {Lr(options.LearningRate * 10)} (ten times {Lr(options.LearningRate)}), or more --epochs."));
    }

    // Weights that grow until units saturate are the normal end of fitting (nearly) separable data; only a
    // run that is still far from a good loss is told about it as a warning.
    private static void Growth(List<(int Epoch, MonitorSample Sample)> samples, bool poorFit, List<Finding> findings)
    {
        var severity = poorFit ? Severity.Warning : Severity.Info;
        var (first, last) = (samples[0], samples[^1]);
        if (last.Sample.SaturatedFraction >= GrownShare && last.Sample.SaturatedFraction >= first.Sample.SaturatedFraction + 0.2)
            findings.Add(new Finding(severity, GrowingSaturation, $"Hidden-unit saturation grew from {Pct(first.Sample.SaturatedFraction)} to {Pct(last.Sample.SaturatedFraction)} during training.",
                new Dictionary<string, double>(StringComparer.Ordinal) { ["firstSaturated"] = first.Sample.SaturatedFraction, ["lastSaturated"] = last.Sample.SaturatedFraction },
                $"epoch {first.Epoch}: {Pct(first.Sample.SaturatedFraction)}; epoch {last.Epoch}: {Pct(last.Sample.SaturatedFraction)} (reported at {Pct(GrownShare)} and +20 points; a warning only while the loss is above {Pct(FarFromConverged)} of the base-rate loss).",
                "Weights grew until the sigmoid/tanh units sit at their limits, where their gradient vanishes; learning slows and the model becomes overconfident.",
                "--weight-decay 1e-4, a lower --lr, or --activation relu."));
        if (last.Sample.DeadFraction >= GrownShare && last.Sample.DeadFraction >= first.Sample.DeadFraction + 0.2)
            findings.Add(new Finding(severity, DyingRelus, $"ReLU units died during training: {Pct(first.Sample.DeadFraction)} → {Pct(last.Sample.DeadFraction)} dead.",
                new Dictionary<string, double>(StringComparer.Ordinal) { ["firstDead"] = first.Sample.DeadFraction, ["lastDead"] = last.Sample.DeadFraction },
                $"epoch {first.Epoch}: {Pct(first.Sample.DeadFraction)}; epoch {last.Epoch}: {Pct(last.Sample.DeadFraction)} of units silent on every sampled row (reported at {Pct(GrownShare)} and +20 points; a warning only while the loss is above {Pct(FarFromConverged)} of the base-rate loss).",
                "A large step pushed those units' pre-activations below 0 on every row; a dead ReLU gets no gradient and never recovers.",
                "--activation leaky-relu, or a lower --lr."));
    }

    private static void Overfitting(IReadOnlyList<EpochLog> history, StopReason stopReason, TrainingOptions options, List<Finding> findings)
    {
        var validated = history.Where(static h => double.IsFinite(h.ValidationLoss) && double.IsFinite(h.TrainLoss)).ToList();
        if (validated.Count < 5) return;
        var best = validated.MinBy(static h => h.ValidationLoss)!;
        var last = validated[^1];
        var rise = last.ValidationLoss - best.ValidationLoss;
        var gap = (Best: best.ValidationLoss - best.TrainLoss, Last: last.ValidationLoss - last.TrainLoss);
        if (rise < OverfitRise * best.ValidationLoss || rise < 0.02 || last.TrainLoss >= best.TrainLoss) return;
        var caught = stopReason == StopReason.EarlyStopped;
        findings.Add(new Finding(caught ? Severity.Info : Severity.Warning, FindingCodes.Overfitting,
            caught ? $"The model began to overfit after epoch {best.Epoch}; early stopping kept that epoch's weights."
                   : $"The model overfits: the validation loss rose from {G(best.ValidationLoss)} (epoch {best.Epoch}) to {G(last.ValidationLoss)} while the training loss kept falling (the trainer keeps epoch {best.Epoch}'s weights).",
            new Dictionary<string, double>(StringComparer.Ordinal)
            {
                ["bestEpoch"] = best.Epoch, ["bestValidationLoss"] = best.ValidationLoss, ["finalValidationLoss"] = last.ValidationLoss,
                ["finalTrainLoss"] = last.TrainLoss, ["gapAtBest"] = gap.Best, ["finalGap"] = gap.Last,
            },
            $"validation − training loss widened from {G(gap.Best)} at epoch {best.Epoch} to {G(gap.Last)} at epoch {last.Epoch}; validation loss {G(rise)} above its minimum (threshold {Pct(OverfitRise)} and 0.02).",
            "The network is memorizing the training rows: the training loss keeps falling while the loss on unseen rows rises.",
            caught ? "Nothing to fix; for a better model try a smaller network or --weight-decay 1e-3."
                   : $"a smaller network (--hidden 8), --weight-decay 1e-3, or more rows; early stopping (--patience 30{(options.Patience == 0 ? " instead of 0" : "")}) saves the wasted epochs."));
    }
}
