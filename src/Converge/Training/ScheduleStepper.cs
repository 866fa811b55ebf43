using Converge.Optimizers;

namespace Converge.Training;

/// <summary>Applies the configured learning-rate schedule once per epoch, after the optimizer steps (PyTorch's order).</summary>
internal sealed class ScheduleStepper
{
    private readonly ILearningRateScheduler? _epochSchedule;
    private readonly ReduceLrOnPlateau? _plateau;

    private ScheduleStepper(ILearningRateScheduler? epochSchedule, ReduceLrOnPlateau? plateau) =>
        (_epochSchedule, _plateau) = (epochSchedule, plateau);

    public static ScheduleStepper Create(ScheduleOptions options, Optimizer optimizer, int epochs) => options.Kind switch
    {
        ScheduleKind.Step => new(new StepLr(optimizer, options.StepSize > 0 ? options.StepSize : Math.Max(1, epochs / 3), options.Gamma), null),
        ScheduleKind.Cosine => new(new CosineAnnealingLr(optimizer, epochs, options.MinLearningRate), null),
        ScheduleKind.Plateau => new(null, new ReduceLrOnPlateau(optimizer, factor: options.Factor, patience: options.Patience, minLr: options.MinLearningRate)),
        _ => new(null, null),
    };

    /// <summary>Advances the schedule; <paramref name="watchedLoss"/> feeds a plateau schedule.</summary>
    public void AfterEpoch(double watchedLoss)
    {
        _epochSchedule?.Step();
        _plateau?.Step(watchedLoss);
    }
}
