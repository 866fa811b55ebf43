namespace Converge.Training;

/// <summary>A <see cref="Trainer"/> observer that forwards each completed epoch to an <see cref="IProgress{T}"/>.</summary>
/// <param name="progress">Told about each epoch whose training loss is finite (the diverged epoch is reported by the run's result instead).</param>
public sealed class ProgressReporter(IProgress<EpochLog> progress) : ITrainingObserver
{
    private readonly IProgress<EpochLog> _progress = progress ?? throw new ArgumentNullException(nameof(progress));

    void ITrainingObserver.EpochEnded(EpochLog log)
    {
        if (double.IsFinite(log.TrainLoss)) _progress.Report(log);
    }
}
