namespace Converge.Optimizers;

/// <summary>
/// The learning rate is base·λ(epoch) for a function λ of the epoch (torch.optim.lr_scheduler.LambdaLR),
/// e.g. a linear warm-up: <c>new LambdaLr(optimizer, e => Math.Min(1.0, (e + 1) / 10.0))</c>.
/// </summary>
public sealed class LambdaLr : LearningRateScheduler
{
    /// <summary>A schedule base·<paramref name="lambda"/>(epoch), starting with epoch 0 at construction.</summary>
    public LambdaLr(Optimizer optimizer, Func<int, double> lambda)
        : base(optimizer, optimizer?.InitialLearningRate ?? 0)
    {
        ArgumentNullException.ThrowIfNull(lambda);
        Lambda = lambda;
        Step();
    }

    /// <summary>The multiplicative factor of the base learning rate, per epoch.</summary>
    public Func<int, double> Lambda { get; }

    /// <inheritdoc/>
    protected override double RestartLearningRate() => BaseLearningRate * Lambda(0);

    /// <inheritdoc/>
    protected override double NextLearningRate(int epoch, double current) => BaseLearningRate * Lambda(epoch);
}
