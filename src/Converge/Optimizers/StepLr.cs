namespace Converge.Optimizers;

/// <summary>
/// Multiplies the learning rate by <see cref="Gamma"/> every <see cref="StepSize"/> epochs
/// (torch.optim.lr_scheduler.StepLR).
/// </summary>
public sealed class StepLr : LearningRateScheduler
{
    /// <summary>Multiplies the learning rate by <paramref name="gamma"/> every <paramref name="stepSize"/> steps.</summary>
    public StepLr(Optimizer optimizer, int stepSize, double gamma = 0.1)
        : base(optimizer, optimizer?.InitialLearningRate ?? 0)
    {
        if (stepSize < 1) throw new ArgumentOutOfRangeException(nameof(stepSize), $"StepLr: StepSize must be ≥ 1, got {stepSize}.");
        ScheduleChecks.RequirePositiveFinite(gamma, "StepLr", "Gamma", nameof(gamma));
        StepSize = stepSize;
        Gamma = gamma;
        Step();
    }

    /// <summary>Epochs between two decays.</summary>
    public int StepSize { get; }

    /// <summary>Multiplicative decay factor.</summary>
    public double Gamma { get; }

    /// <summary>Closed form base·gamma^⌊epoch/stepSize⌋; may differ from the stepped values in the last bits.</summary>
    public static double At(double baseLearningRate, int stepSize, double gamma, int epoch) =>
        baseLearningRate * Math.Pow(gamma, epoch / stepSize);

    /// <inheritdoc />
    protected override double NextLearningRate(int epoch, double current) =>
        epoch == 0 || epoch % StepSize != 0 ? current : current * Gamma;
}
