namespace Converge.Optimizers;

/// <summary>
/// An epoch-based learning-rate schedule with PyTorch 1.13's <c>_LRScheduler</c> protocol:
/// construction writes the epoch-0 learning rate into the optimizer; then, once per epoch,
/// call <see cref="Optimizer.Step"/> first and <see cref="Step"/> after it.
/// </summary>
public interface ILearningRateScheduler
{
    /// <summary>Advances <see cref="LastEpoch"/> by one and writes the new learning rate into the optimizer.</summary>
    void Step();

    /// <summary>The learning rate the last <see cref="Step"/> (or the construction) wrote (PyTorch's <c>get_last_lr()</c>).</summary>
    double LastLearningRate { get; }

    /// <summary>How many times the schedule has stepped since construction; 0 right after construction.</summary>
    int LastEpoch { get; }
}
