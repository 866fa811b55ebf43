namespace Converge.Optimizers;

/// <summary>
/// Cosine annealing from the base learning rate down to <see cref="EtaMin"/> over <see cref="TMax"/>
/// epochs (torch.optim.lr_scheduler.CosineAnnealingLR). Not a restart schedule: after TMax the
/// learning rate climbs back to base over another TMax epochs (period 2·TMax).
/// </summary>
public sealed class CosineAnnealingLr : LearningRateScheduler
{
    /// <summary>Anneals from the optimizer's learning rate to <paramref name="etaMin"/> over <paramref name="tMax"/> steps, as torch.optim.lr_scheduler.CosineAnnealingLR.</summary>
    public CosineAnnealingLr(Optimizer optimizer, int tMax, double etaMin = 0)
        : base(optimizer, optimizer?.InitialLearningRate ?? 0)
    {
        if (tMax < 1) throw new ArgumentOutOfRangeException(nameof(tMax), $"CosineAnnealingLr: TMax must be ≥ 1, got {tMax}.");
        if (!(etaMin >= 0) || double.IsInfinity(etaMin))
            throw new ArgumentOutOfRangeException(nameof(etaMin), $"CosineAnnealingLr: EtaMin must be a finite number ≥ 0, got {etaMin}.");
        TMax = tMax;
        EtaMin = etaMin;
        Step();
    }

    /// <summary>Epochs from the base learning rate down to <see cref="EtaMin"/>.</summary>
    public int TMax { get; }

    /// <summary>The lowest learning rate.</summary>
    public double EtaMin { get; }

    /// <summary>Closed form η_min + (base − η_min)·(1 + cos(π·epoch/TMax))/2; differs from the stepped values in the last bits.</summary>
    public static double At(double baseLearningRate, int tMax, double etaMin, int epoch) =>
        etaMin + (baseLearningRate - etaMin) * (1 + Math.Cos(Math.PI * epoch / tMax)) / 2;

    /// <inheritdoc />
    protected override double NextLearningRate(int epoch, double current)
    {
        if (epoch == 0) return current;
        // Python's floor-mod: at the bottom of each period the ratio form below would divide by 1 + cos(π) = 0.
        if (FloorMod(epoch - 1 - TMax, 2 * TMax) == 0)
            return current + (BaseLearningRate - EtaMin) * (1 - Math.Cos(Math.PI / TMax)) / 2;
        return (1 + Math.Cos(Math.PI * epoch / TMax)) / (1 + Math.Cos(Math.PI * (epoch - 1) / TMax)) * (current - EtaMin) + EtaMin;
    }

    private static int FloorMod(int a, int n) => ((a % n) + n) % n;
}
