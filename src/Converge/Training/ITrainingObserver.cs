namespace Converge.Training;

/// <summary>
/// Watches a <see cref="Trainer"/> run, as burn's learner reports to its event processor: progress
/// bars, history recorders and the doctor's probe are observers, none of them wired into the loop.
/// Every method has an empty default, so an observer implements only what it needs. The calls come
/// on the training thread, in this order: <see cref="TrainingStarted"/>; per epoch
/// <see cref="EpochStarted"/>, per minibatch <see cref="GradientsComputed"/>, then
/// <see cref="EpochEnded"/>; finally <see cref="TrainingEnded"/>. Observers must not allocate per step
/// if the run is to stay allocation-free.
/// </summary>
public interface ITrainingObserver
{
    /// <summary>Before the first epoch, with the model at its initial weights.</summary>
    void TrainingStarted(Trainer trainer) { }

    /// <summary>Before epoch <paramref name="epoch"/> (1-based) runs.</summary>
    void EpochStarted(int epoch) { }

    /// <summary>Right after a minibatch's backward pass: the gradients are fresh, not yet clipped or applied.</summary>
    void GradientsComputed(in TrainingStep step) { }

    /// <summary>
    /// After an epoch has been trained and validated, before the schedule steps. The epoch that
    /// diverged is reported too (its losses are not finite), after the last good weights were put back.
    /// </summary>
    void EpochEnded(EpochLog log) { }

    /// <summary>After the last epoch, with the weights the model keeps (the best epoch's when validating).</summary>
    void TrainingEnded(TrainerResult result) { }
}

/// <summary>One minibatch step, as an observer sees it.</summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="Batch">0-based minibatch index within the epoch.</param>
/// <param name="IsLastBatch">True for the epoch's last minibatch.</param>
/// <param name="Loss">The minibatch loss (finite: a non-finite loss ends the epoch before the backward pass).</param>
public readonly record struct TrainingStep(int Epoch, int Batch, bool IsLastBatch, double Loss);

/// <summary>What a <see cref="Trainer"/> run did.</summary>
/// <param name="History">One entry per epoch run (the diverged epoch included).</param>
/// <param name="BestEpoch">The epoch whose weights the model holds.</param>
/// <param name="StopReason">Why training ended.</param>
/// <param name="Divergence">What went wrong when the run diverged; null otherwise.</param>
/// <param name="Elapsed">Wall time of the run.</param>
public sealed record TrainerResult(IReadOnlyList<EpochLog> History, int BestEpoch, StopReason StopReason, string? Divergence, TimeSpan Elapsed);
