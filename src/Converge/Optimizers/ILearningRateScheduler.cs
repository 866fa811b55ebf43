namespace Converge.Optimizers;

/// <summary>
/// A learning-rate schedule with PyTorch 1.13's protocol: once per epoch (or per batch for
/// <see cref="OneCycleLr"/>), call <see cref="Optimizer.Step"/> first and the schedule's step after it.
/// Epoch-based schedules (<see cref="LearningRateScheduler"/>) write the epoch-0 rate at construction
/// and step with <see cref="Step()"/>; <see cref="ReduceLrOnPlateau"/> steps on a monitored metric,
/// <c>scheduler.step(val_loss)</c> in PyTorch, with <see cref="Step(double)"/>. A loop that does not
/// know which one it holds (the <c>Trainer</c>) calls <see cref="Step(double)"/> with the validation
/// loss: the epoch-based schedules ignore it.
/// </summary>
public interface ILearningRateScheduler
{
    /// <summary>Advances <see cref="LastEpoch"/> by one and writes the new learning rate into the optimizer.</summary>
    void Step();

    /// <summary>
    /// Advances the schedule by one epoch given the monitored <paramref name="metric"/> (for example the
    /// validation loss). Schedules that do not monitor a metric ignore it and <see cref="Step()"/>.
    /// </summary>
    void Step(double metric) => Step();

    /// <summary>The learning rate the last step (or the construction) wrote (PyTorch's <c>get_last_lr()</c>).</summary>
    double LastLearningRate { get; }

    /// <summary>How many times the schedule has stepped since construction; 0 right after construction.</summary>
    int LastEpoch { get; }
}
