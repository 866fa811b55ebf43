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
