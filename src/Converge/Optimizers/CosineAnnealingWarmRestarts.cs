namespace Converge.Optimizers;

/// <summary>
/// SGDR (Loshchilov &amp; Hutter 2017, https://arxiv.org/abs/1608.03983) as
/// torch.optim.lr_scheduler.CosineAnnealingWarmRestarts: cosine annealing from the base to
/// <see cref="EtaMin"/> over T_i epochs, then a restart at the base, with T_0 = <see cref="T0"/> and
/// T_(i+1) = T_i·<see cref="TMult"/>. Stepped once per epoch (PyTorch's step() without an epoch).
/// </summary>
public sealed class CosineAnnealingWarmRestarts : LearningRateScheduler
{
    private int _tCur;
    private int _tI;

    /// <summary>Restarts every <paramref name="t0"/> epochs, the period multiplied by <paramref name="tMult"/> at each restart.</summary>
    public CosineAnnealingWarmRestarts(Optimizer optimizer, int t0, int tMult = 1, double etaMin = 0)
        : base(optimizer, optimizer?.InitialLearningRate ?? 0)
    {
        if (t0 < 1) throw new ArgumentOutOfRangeException(nameof(t0), $"CosineAnnealingWarmRestarts: T0 must be ≥ 1, got {t0}.");
        if (tMult < 1) throw new ArgumentOutOfRangeException(nameof(tMult), $"CosineAnnealingWarmRestarts: TMult must be ≥ 1, got {tMult}.");
        if (!(etaMin >= 0) || double.IsInfinity(etaMin))
            throw new ArgumentOutOfRangeException(nameof(etaMin), $"CosineAnnealingWarmRestarts: EtaMin must be a finite number ≥ 0, got {etaMin}.");
        (T0, TMult, EtaMin) = (t0, tMult, etaMin);
        Step();
    }

    /// <summary>Epochs until the first restart.</summary>
    public int T0 { get; }

    /// <summary>Factor by which the period grows at each restart.</summary>
    public int TMult { get; }

    /// <summary>The lowest learning rate.</summary>
    public double EtaMin { get; }

    /// <inheritdoc/>
    protected override double RestartLearningRate()
    {
        (_tCur, _tI) = (0, T0);
        return Value();
    }

    /// <inheritdoc/>
    protected override double NextLearningRate(int epoch, double current)
    {
        if (epoch == 0) (_tCur, _tI) = (0, T0);
        else if (++_tCur >= _tI) (_tCur, _tI) = (_tCur - _tI, _tI * TMult);
        return Value();
    }

    /// <inheritdoc/>
    protected override IReadOnlyDictionary<string, double> SaveCounters() => new Dictionary<string, double> { ["T_cur"] = _tCur, ["T_i"] = _tI };

    /// <inheritdoc/>
    protected override void LoadCounters(IReadOnlyDictionary<string, double> counters)
    {
        ArgumentNullException.ThrowIfNull(counters);
        if (!counters.TryGetValue("T_cur", out var tCur) || !counters.TryGetValue("T_i", out var tI) || tI < 1 || tCur < 0)
            throw new ArgumentException("LoadStateDict: a CosineAnnealingWarmRestarts state needs counters T_cur ≥ 0 and T_i ≥ 1.", nameof(counters));
        (_tCur, _tI) = ((int)tCur, (int)tI);
    }

    private double Value() => EtaMin + (BaseLearningRate - EtaMin) * (1 + Math.Cos(Math.PI * _tCur / _tI)) / 2;
}
