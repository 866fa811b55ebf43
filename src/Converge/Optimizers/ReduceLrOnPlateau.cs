namespace Converge.Optimizers;

/// <summary>Whether a smaller or a larger monitored metric is better.</summary>
public enum PlateauMode
{
    /// <summary>Lower is better (a loss).</summary>
    Min,

    /// <summary>Higher is better (an accuracy).</summary>
    Max,
}

/// <summary>How <see cref="ReduceLrOnPlateau"/> decides that a metric beat the best one so far.</summary>
public enum ThresholdMode
{
    /// <summary>Better by a fraction of the best: m &lt; best·(1 − threshold) in min mode, m &gt; best·(1 + threshold) in max mode.</summary>
    Relative,

    /// <summary>Better by a fixed amount: m &lt; best − threshold in min mode, m &gt; best + threshold in max mode.</summary>
    Absolute,
}

/// <summary>
/// Cuts the learning rate by <see cref="Factor"/> when a metric has not improved for more than
/// <see cref="Patience"/> epochs (torch.optim.lr_scheduler.ReduceLROnPlateau, PyTorch 1.13).
/// Does nothing at construction; call <see cref="Step(double)"/> once per epoch after validation.
/// It needs the metric: the parameterless <see cref="ILearningRateScheduler.Step()"/> throws.
/// </summary>
public sealed class ReduceLrOnPlateau : ILearningRateScheduler
{
    public ReduceLrOnPlateau(
        Optimizer optimizer,
        PlateauMode mode = PlateauMode.Min,
        double factor = 0.1,
        int patience = 10,
        double threshold = 1e-4,
        ThresholdMode thresholdMode = ThresholdMode.Relative,
        int cooldown = 0,
        double minLr = 0,
        double eps = 1e-8)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        LearningRateScheduler.RequireOneLearningRate(optimizer, nameof(ReduceLrOnPlateau));
        if (!Enum.IsDefined(mode)) throw new ArgumentOutOfRangeException(nameof(mode), $"ReduceLrOnPlateau: unknown mode {mode}.");
        if (!(factor is >= 0 and < 1))
            throw new ArgumentOutOfRangeException(nameof(factor), $"ReduceLrOnPlateau: Factor must be in [0, 1), got {factor}.");
        if (patience < 0) throw new ArgumentOutOfRangeException(nameof(patience), $"ReduceLrOnPlateau: Patience must be ≥ 0, got {patience}.");
        if (!(threshold >= 0) || double.IsInfinity(threshold))
            throw new ArgumentOutOfRangeException(nameof(threshold), $"ReduceLrOnPlateau: Threshold must be a finite number ≥ 0, got {threshold}.");
        if (!Enum.IsDefined(thresholdMode))
            throw new ArgumentOutOfRangeException(nameof(thresholdMode), $"ReduceLrOnPlateau: unknown threshold mode {thresholdMode}.");
        if (cooldown < 0) throw new ArgumentOutOfRangeException(nameof(cooldown), $"ReduceLrOnPlateau: Cooldown must be ≥ 0, got {cooldown}.");
        if (!(minLr >= 0) || double.IsInfinity(minLr))
            throw new ArgumentOutOfRangeException(nameof(minLr), $"ReduceLrOnPlateau: MinLr must be a finite number ≥ 0, got {minLr}.");
        if (!(eps >= 0) || double.IsInfinity(eps))
            throw new ArgumentOutOfRangeException(nameof(eps), $"ReduceLrOnPlateau: Eps must be a finite number ≥ 0, got {eps}.");

        Optimizer = optimizer;
        Mode = mode;
        Factor = factor;
        Patience = patience;
        Threshold = threshold;
        ThresholdMode = thresholdMode;
        Cooldown = cooldown;
        MinLr = minLr;
        Eps = eps;
        Best = mode == PlateauMode.Min ? double.PositiveInfinity : double.NegativeInfinity;
        LastLearningRate = optimizer.LearningRate;
    }

    /// <summary>The optimizer whose learning rate this schedule cuts.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>Whether lower or higher metrics are better.</summary>
    public PlateauMode Mode { get; }

    /// <summary>The learning rate is multiplied by this at each cut.</summary>
    public double Factor { get; }

    /// <summary>Non-improving epochs tolerated; the cut comes at the (Patience + 1)-th in a row.</summary>
    public int Patience { get; }

    /// <summary>The margin by which a metric must beat <see cref="Best"/> to count as an improvement.</summary>
    public double Threshold { get; }

    /// <summary>Whether <see cref="Threshold"/> is relative to <see cref="Best"/> or absolute.</summary>
    public ThresholdMode ThresholdMode { get; }

    /// <summary>Epochs after a cut during which bad epochs are not counted.</summary>
    public int Cooldown { get; }

    /// <summary>The learning rate is never cut below this.</summary>
    public double MinLr { get; }

    /// <summary>A cut smaller than this is skipped.</summary>
    public double Eps { get; }

    /// <summary>The best metric seen (+∞ in min mode, −∞ in max mode before the first step).</summary>
    public double Best { get; private set; }

    /// <summary>Consecutive epochs without improvement, reset by a cut and during cooldown.</summary>
    public int NumBadEpochs { get; private set; }

    /// <summary>Epochs of cooldown left.</summary>
    public int CooldownCounter { get; private set; }

    /// <summary>Number of <see cref="Step(double)"/> calls so far.</summary>
    public int LastEpoch { get; private set; }

    /// <summary>The optimizer's learning rate after the last <see cref="Step(double)"/>.</summary>
    public double LastLearningRate { get; private set; }

    /// <summary>Always throws: a plateau schedule steps on the monitored metric, <see cref="Step(double)"/>.</summary>
    /// <exception cref="InvalidOperationException">Always.</exception>
    void ILearningRateScheduler.Step() =>
        throw new InvalidOperationException("ReduceLrOnPlateau steps on a monitored metric: call Step(metric), e.g. with the validation loss.");

    /// <summary>Records one epoch's metric and cuts the learning rate if the plateau has lasted long enough.</summary>
    public void Step(double metric)
    {
        LastEpoch++;
        if (IsBetter(metric))
        {
            Best = metric;
            NumBadEpochs = 0;
        }
        else
        {
            NumBadEpochs++;
        }

        if (CooldownCounter > 0)
        {
            CooldownCounter--;
            NumBadEpochs = 0;
        }

        if (NumBadEpochs > Patience)
        {
            var old = Optimizer.LearningRate;
            var cut = Math.Max(old * Factor, MinLr);
            if (old - cut > Eps) Optimizer.LearningRate = cut;
            // Reset even when MinLr blocked the cut, as PyTorch does.
            CooldownCounter = Cooldown;
            NumBadEpochs = 0;
        }
        LastLearningRate = Optimizer.LearningRate;
    }

    // Strict comparisons: a metric that ties the threshold is not an improvement. NaN never is.
    private bool IsBetter(double metric) => (Mode, ThresholdMode) switch
    {
        (PlateauMode.Min, ThresholdMode.Relative) => metric < Best * (1 - Threshold),
        (PlateauMode.Min, ThresholdMode.Absolute) => metric < Best - Threshold,
        (PlateauMode.Max, ThresholdMode.Relative) => metric > Best * (1 + Threshold),
        _ => metric > Best + Threshold,
    };
}
