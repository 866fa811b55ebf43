namespace Converge.Optimizers;

/// <summary>
/// Runs schedules one after another (torch.optim.lr_scheduler.SequentialLR): the first until
/// milestone 1, the next restarted at its epoch 0 there, and so on; e.g. a <see cref="LinearLr"/>
/// warm-up then a <see cref="CosineAnnealingLr"/>. Build the schedules on the same optimizer first;
/// this resets the learning rate to the initial one and replays the first schedule's epoch 0, as PyTorch.
/// </summary>
public sealed class SequentialLr : ILearningRateScheduler
{
    private readonly LearningRateScheduler[] _schedulers;
    private readonly int[] _milestones;

    /// <summary>Schedules <paramref name="schedulers"/> switching at the (increasing) <paramref name="milestones"/>, one fewer than the schedules.</summary>
    public SequentialLr(Optimizer optimizer, IReadOnlyList<LearningRateScheduler> schedulers, IReadOnlyList<int> milestones)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(schedulers);
        ArgumentNullException.ThrowIfNull(milestones);
        if (schedulers.Count == 0) throw new ArgumentException("SequentialLr: needs at least one schedule.", nameof(schedulers));
        if (milestones.Count != schedulers.Count - 1)
            throw new ArgumentException($"SequentialLr: expected {schedulers.Count - 1} milestones for {schedulers.Count} schedules, got {milestones.Count}.", nameof(milestones));
        for (var i = 1; i < milestones.Count; i++)
            if (milestones[i] <= milestones[i - 1]) throw new ArgumentException($"SequentialLr: milestones must increase, got {string.Join(", ", milestones)}.", nameof(milestones));
        foreach (var s in schedulers)
            if (!ReferenceEquals(s.Optimizer, optimizer)) throw new ArgumentException("SequentialLr: every schedule must drive the same optimizer.", nameof(schedulers));
        (Optimizer, _schedulers, _milestones) = (optimizer, [.. schedulers], [.. milestones]);
        optimizer.LearningRate = optimizer.InitialLearningRate;
        foreach (var s in _schedulers) s.Rewind();
        _schedulers[0].Step();
        LastLearningRate = _schedulers[0].LastLearningRate;
    }

    /// <summary>The optimizer the schedules drive.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>The schedules, in order.</summary>
    public IReadOnlyList<LearningRateScheduler> Schedulers => _schedulers;

    /// <inheritdoc/>
    public double LastLearningRate { get; private set; }

    /// <inheritdoc/>
    public int LastEpoch { get; private set; }

    /// <summary>A copy of the state: this schedule's epoch and each child's state (PyTorch's <c>state_dict()</c>).</summary>
    public (SchedulerState Own, IReadOnlyList<SchedulerState> Children) StateDict() =>
        (new SchedulerState(LastEpoch, LastLearningRate, new Dictionary<string, double>()), [.. _schedulers.Select(static s => s.StateDict())]);

    /// <summary>Restores a state from <see cref="StateDict"/> of a SequentialLr over the same kinds of schedules.</summary>
    public void LoadStateDict(SchedulerState own, IReadOnlyList<SchedulerState> children)
    {
        ArgumentNullException.ThrowIfNull(own);
        ArgumentNullException.ThrowIfNull(children);
        if (children.Count != _schedulers.Length)
            throw new ArgumentException($"LoadStateDict: the state has {children.Count} schedules, this SequentialLr {_schedulers.Length}.", nameof(children));
        for (var i = 0; i < children.Count; i++) _schedulers[i].LoadStateDict(children[i]);
        (LastEpoch, LastLearningRate) = (own.LastEpoch, own.LastLearningRate);
    }

    /// <inheritdoc/>
    public void Step()
    {
        LastEpoch++;
        var index = 0;
        while (index < _milestones.Length && _milestones[index] <= LastEpoch) index++;   // bisect_right
        var scheduler = _schedulers[index];
        if (index > 0 && _milestones[index - 1] == LastEpoch) scheduler.RestartAtEpochZero();
        else scheduler.Step();
        LastLearningRate = scheduler.LastLearningRate;
    }
}
