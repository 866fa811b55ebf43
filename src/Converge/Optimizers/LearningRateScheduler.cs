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
        RequireOneLearningRate(optimizer, GetType().Name);
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
    /// Restarts the schedule at epoch 0 and writes that epoch's learning rate (PyTorch's
    /// <c>scheduler.step(0)</c>, which <see cref="SequentialLr"/> calls at each milestone).
    /// </summary>
    internal void RestartAtEpochZero()
    {
        var learningRate = RestartLearningRate();
        LastEpoch = 0;
        Optimizer.LearningRate = learningRate;
        LastLearningRate = learningRate;
    }

    /// <summary>A copy of the schedule's state, to save and resume training (PyTorch's <c>scheduler.state_dict()</c>).</summary>
    public SchedulerState StateDict() => new(LastEpoch, LastLearningRate, SaveCounters());

    /// <summary>
    /// Restores a state from <see cref="StateDict"/> of the same kind of schedule. The optimizer's
    /// learning rate is not touched: restore the optimizer's own state for that.
    /// </summary>
    public void LoadStateDict(SchedulerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.LastEpoch < 0) throw new ArgumentOutOfRangeException(nameof(state), $"LoadStateDict: LastEpoch must be ≥ 0, got {state.LastEpoch}.");
        LoadCounters(state.Counters);
        (LastEpoch, LastLearningRate) = (state.LastEpoch, state.LastLearningRate);
    }

    /// <summary>The schedule's internal counters beyond the epoch (none for most).</summary>
    protected virtual IReadOnlyDictionary<string, double> SaveCounters() => new Dictionary<string, double>();

    /// <summary>Restores the counters of <see cref="SaveCounters"/>.</summary>
    protected virtual void LoadCounters(IReadOnlyDictionary<string, double> counters) { }

    /// <summary>Steps back one epoch without touching the learning rate (SequentialLr's construction).</summary>
    internal void Rewind() => LastEpoch--;

    /// <summary>
    /// The epoch-0 learning rate of a fresh schedule, from its base (PyTorch's closed form at epoch 0);
    /// a schedule with internal state resets it here.
    /// </summary>
    protected virtual double RestartLearningRate() => BaseLearningRate;

    /// <summary>
    /// The learning rate for <paramref name="epoch"/>, given the optimizer's <paramref name="current"/> one.
    /// Derived constructors call <see cref="Step"/> once at their end, which computes epoch 0.
    /// </summary>
    protected abstract double NextLearningRate(int epoch, double current);

    /// <summary>Schedules drive one learning rate: refuses parameter groups that start from different ones, rather than overwrite them.</summary>
    internal static void RequireOneLearningRate(Optimizer optimizer, string owner)
    {
        foreach (var group in optimizer.ParamGroups)
            if (group.LearningRate != optimizer.LearningRate)
                throw new ArgumentException($"{owner}: the optimizer's parameter groups have different learning rates ({optimizer.LearningRate} and {group.LearningRate}); schedules set one rate for every group, so per-group schedules are not supported.", nameof(optimizer));
    }
}
