namespace Converge.Optimizers;

/// <summary>Multiplies the learning rate by <see cref="Gamma"/> every epoch (torch.optim.lr_scheduler.ExponentialLR).</summary>
public sealed class ExponentialLr : LearningRateScheduler
{
    /// <summary>Multiplies the learning rate by <paramref name="gamma"/> every step.</summary>
    public ExponentialLr(Optimizer optimizer, double gamma)
        : base(optimizer, optimizer?.InitialLearningRate ?? 0)
    {
        ScheduleChecks.RequirePositiveFinite(gamma, "ExponentialLr", "Gamma", nameof(gamma));
        Gamma = gamma;
        Step();
    }

    /// <summary>Multiplicative decay factor per epoch.</summary>
    public double Gamma { get; }

    /// <summary>Closed form base·gamma^epoch; the stepped values are a running product and differ in the last bits.</summary>
    public static double At(double baseLearningRate, double gamma, int epoch) => baseLearningRate * Math.Pow(gamma, epoch);

    /// <inheritdoc />
    protected override double NextLearningRate(int epoch, double current) => epoch == 0 ? current : current * Gamma;
}
