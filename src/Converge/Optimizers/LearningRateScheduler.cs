namespace Converge.Optimizers;

/// <summary>
/// Shared state of the epoch-based schedules. Each step computes the new learning rate
/// recursively from the optimizer's current one (PyTorch's "chainable" form), which is what makes
/// the values match PyTorch to the bit; the textbook closed forms differ in the last bits.
/// </summary>
public abstract class LearningRateScheduler : ILearningRateScheduler
{
    protected LearningRateScheduler(Optimizer optimizer, double baseLearningRate)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        Optimizer = optimizer;
        BaseLearningRate = baseLearningRate;
        LastEpoch = -1;
    }

    /// <summary>The optimizer whose learning rate this schedule sets.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>The schedule's base learning rate (PyTorch's <c>base_lrs[0]</c>).</summary>
    public double BaseLearningRate { get; }

    /// <inheritdoc/>
    public int LastEpoch { get; private set; }

    /// <inheritdoc/>
    public double LastLearningRate { get; private set; }

    /// <inheritdoc/>
    public void Step()
    {
        var epoch = LastEpoch + 1;
        // Computed before any state changes, so a schedule that refuses to step stays consistent.
        var learningRate = NextLearningRate(epoch, Optimizer.LearningRate);
        LastEpoch = epoch;
        Optimizer.LearningRate = learningRate;
        LastLearningRate = learningRate;
    }

    /// <summary>
    /// The learning rate for <paramref name="epoch"/>, given the optimizer's <paramref name="current"/> one.
    /// Derived constructors call <see cref="Step"/> once at their end, which computes epoch 0.
    /// </summary>
    protected abstract double NextLearningRate(int epoch, double current);
}
