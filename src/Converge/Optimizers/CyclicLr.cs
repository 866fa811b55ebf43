namespace Converge.Optimizers;

/// <summary>How <see cref="CyclicLr"/> scales the amplitude of each cycle.</summary>
public enum CyclicMode
{
    /// <summary>Constant amplitude.</summary>
    Triangular,

    /// <summary>The amplitude halves every cycle.</summary>
    Triangular2,

    /// <summary>The amplitude is scaled by γ^iteration.</summary>
    ExpRange,
}

/// <summary>
/// Cyclical learning rates (Smith 2017, https://arxiv.org/abs/1506.01186) as
/// torch.optim.lr_scheduler.CyclicLR, stepped once per batch: the learning rate goes from
/// <see cref="BaseLr"/> up to <see cref="MaxLr"/> in stepSizeUp steps and back in stepSizeDown, while
/// the momentum (SGD's momentum, Adam's β1) cycles the opposite way between maxMomentum and
/// baseMomentum. Deliberate difference: PyTorch 1.13 refuses Adam with cycleMomentum; here β1 is
/// cycled, as PyTorch 2 does.
/// </summary>
public sealed class CyclicLr : LearningRateScheduler
{
    private readonly double _totalSize;
    private readonly double _stepRatio;

    /// <summary>PyTorch's defaults: 2,000 steps up, as many down, triangular, momentum 0.8–0.9.</summary>
    public CyclicLr(Optimizer optimizer, double baseLr, double maxLr, int stepSizeUp = 2000, int? stepSizeDown = null,
        CyclicMode mode = CyclicMode.Triangular, double gamma = 1.0, bool cycleMomentum = true, double baseMomentum = 0.8, double maxMomentum = 0.9)
        : base(optimizer, baseLr)
    {
        if (!(baseLr >= 0) || double.IsInfinity(baseLr)) throw new ArgumentOutOfRangeException(nameof(baseLr), $"CyclicLr: BaseLr must be a finite number ≥ 0, got {baseLr}.");
        if (!(maxLr >= 0) || double.IsInfinity(maxLr)) throw new ArgumentOutOfRangeException(nameof(maxLr), $"CyclicLr: MaxLr must be a finite number ≥ 0, got {maxLr}.");
        if (stepSizeUp < 1 || stepSizeDown is < 1)
            throw new ArgumentOutOfRangeException(nameof(stepSizeUp), $"CyclicLr: step sizes must be ≥ 1, got up {stepSizeUp}, down {stepSizeDown}.");
        if (!Enum.IsDefined(mode)) throw new ArgumentOutOfRangeException(nameof(mode), $"CyclicLr: unknown mode {mode}.");
        ScheduleChecks.RequirePositiveFinite(gamma, "CyclicLr", "Gamma", nameof(gamma));
        if (cycleMomentum && optimizer.Momentum is null)
            throw new ArgumentException("CyclicLr: the optimizer has no momentum to cycle; pass cycleMomentum: false.", nameof(optimizer));
        (BaseLr, MaxLr, Mode, Gamma, CycleMomentum, BaseMomentum, MaxMomentum) = (baseLr, maxLr, mode, gamma, cycleMomentum, baseMomentum, maxMomentum);
        _totalSize = (double)stepSizeUp + (stepSizeDown ?? stepSizeUp);
        _stepRatio = stepSizeUp / _totalSize;
        Step();
    }

    /// <summary>The lower bound of the learning rate.</summary>
    public double BaseLr { get; }

    /// <summary>The upper bound of the learning rate (before the mode's scaling).</summary>
    public double MaxLr { get; }

    /// <summary>How the amplitude changes from cycle to cycle.</summary>
    public CyclicMode Mode { get; }

    /// <summary>γ of <see cref="CyclicMode.ExpRange"/>.</summary>
    public double Gamma { get; }

    /// <summary>True when the momentum is cycled too.</summary>
    public bool CycleMomentum { get; }

    /// <summary>The momentum at the top of the learning rate.</summary>
    public double BaseMomentum { get; }

    /// <summary>The momentum at the bottom of the learning rate.</summary>
    public double MaxMomentum { get; }

    /// <inheritdoc/>
    protected override double RestartLearningRate() => NextLearningRate(0, BaseLr);

    /// <inheritdoc/>
    protected override double NextLearningRate(int epoch, double current)
    {
        var cycle = Math.Floor(1 + epoch / _totalSize);
        var x = 1.0 + epoch / _totalSize - cycle;
        var scaleFactor = x <= _stepRatio ? x / _stepRatio : (x - 1) / (_stepRatio - 1);
        var scale = Mode switch
        {
            CyclicMode.Triangular => 1.0,
            CyclicMode.Triangular2 => 1 / Math.Pow(2.0, cycle - 1),
            _ => Math.Pow(Gamma, epoch),
        };
        if (CycleMomentum) Optimizer.Momentum = MaxMomentum - (MaxMomentum - BaseMomentum) * scaleFactor * scale;
        return BaseLr + (MaxLr - BaseLr) * scaleFactor * scale;
    }
}
