namespace Converge.Optimizers;

/// <summary>
/// Scales the learning rate linearly from base·<see cref="StartFactor"/> to base·<see cref="EndFactor"/>
/// over <see cref="TotalIters"/> epochs, then keeps it (torch.optim.lr_scheduler.LinearLR; the usual warm-up).
/// Stepped in PyTorch's recursive form, so values match it to the bit.
/// </summary>
public sealed class LinearLr : LearningRateScheduler
{
    /// <summary>PyTorch's defaults: from a third of the base to the base over 5 epochs.</summary>
    public LinearLr(Optimizer optimizer, double startFactor = 1.0 / 3, double endFactor = 1.0, int totalIters = 5)
        : base(optimizer, optimizer?.InitialLearningRate ?? 0)
    {
        if (!(startFactor is > 0 and <= 1)) throw new ArgumentOutOfRangeException(nameof(startFactor), $"LinearLr: StartFactor must be in (0, 1], got {startFactor}.");
        if (!(endFactor is >= 0 and <= 1)) throw new ArgumentOutOfRangeException(nameof(endFactor), $"LinearLr: EndFactor must be in [0, 1], got {endFactor}.");
        if (totalIters < 1) throw new ArgumentOutOfRangeException(nameof(totalIters), $"LinearLr: TotalIters must be ≥ 1, got {totalIters}.");
        (StartFactor, EndFactor, TotalIters) = (startFactor, endFactor, totalIters);
        Step();
    }

    /// <summary>The factor of the base learning rate at epoch 0.</summary>
    public double StartFactor { get; }

    /// <summary>The factor reached at <see cref="TotalIters"/> and kept after.</summary>
    public double EndFactor { get; }

    /// <summary>Epochs of the linear ramp.</summary>
    public int TotalIters { get; }

    /// <inheritdoc/>
    protected override double RestartLearningRate() => BaseLearningRate * StartFactor;

    /// <inheritdoc/>
    protected override double NextLearningRate(int epoch, double current)
    {
        if (epoch == 0) return current * StartFactor;
        if (epoch > TotalIters) return current;
        // With EndFactor 0 the recursion ends at ±1e-20 rather than 0; PyTorch keeps a tiny negative
        // rate there, the optimizers here refuse negative ones, so it is clamped at 0.
        return Math.Max(0, current * (1.0 + (EndFactor - StartFactor) / (TotalIters * StartFactor + (epoch - 1) * (EndFactor - StartFactor))));
    }
}
