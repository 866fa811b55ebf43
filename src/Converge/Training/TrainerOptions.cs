namespace Converge.Training;

/// <summary>
/// How <see cref="Trainer"/> runs the loop, whatever the model: epochs, minibatches, early stopping and
/// clipping. The model, loss, optimizer and schedule are the trainer's constructor arguments.
/// </summary>
public sealed record TrainerOptions
{
    /// <summary>Maximum number of passes over the training data.</summary>
    public int Epochs { get; init; } = 100;

    /// <summary>Rows per minibatch; 0 means the whole training set (full batch).</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Seeds the minibatch shuffle (reshuffled every epoch; a full batch is never shuffled).</summary>
    public ulong Seed { get; init; } = 42;

    /// <summary>
    /// With validation data: epochs without a better validation loss (by a relative 1e-4) before stopping;
    /// 0 disables. The best epoch's weights are restored at the end either way.
    /// </summary>
    public int Patience { get; init; }

    /// <summary>Clip the global gradient norm to this value before each step (<c>clip_grad_norm_</c>); 0 disables.</summary>
    public double GradientClip { get; init; }

    /// <summary>
    /// A request to stop early, e.g. a first Ctrl-C: once signalled, training ends after the current
    /// epoch with <see cref="StopReason.Interrupted"/>, keeping the best weights so far as early stopping
    /// does. (The cancellation token of <see cref="Trainer.Fit"/> instead aborts with nothing kept.)
    /// </summary>
    public CancellationToken StopRequest { get; init; }

    /// <summary>Checks the options and throws with a message naming the bad value.</summary>
    public void Validate()
    {
        if (Epochs < 1) throw new ArgumentOutOfRangeException(nameof(Epochs), $"Epochs must be ≥ 1, got {Epochs}.");
        if (BatchSize < 0) throw new ArgumentOutOfRangeException(nameof(BatchSize), $"BatchSize must be ≥ 0 (0 = full batch), got {BatchSize}.");
        if (Patience < 0) throw new ArgumentOutOfRangeException(nameof(Patience), $"Patience must be ≥ 0, got {Patience}.");
        if (!(GradientClip >= 0) || double.IsInfinity(GradientClip))
            throw new ArgumentOutOfRangeException(nameof(GradientClip), $"GradientClip must be a finite number ≥ 0, got {GradientClip}.");
    }
}
