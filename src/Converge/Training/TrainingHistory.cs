namespace Converge.Training;

/// <summary>What one epoch of training measured.</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="TrainLoss">Mean minibatch loss over the epoch (the loss being optimized).</param>
/// <param name="ValidationLoss">Loss on the validation split in eval mode, or NaN without one.</param>
/// <param name="ValidationAccuracy">Accuracy on the validation split at threshold 0.5, or NaN.</param>
/// <param name="LearningRate">The learning rate used during the epoch.</param>
/// <param name="Monitor">Sampled internals for the diagnosis, every few epochs; null otherwise.</param>
public sealed record EpochLog(int Epoch, double TrainLoss, double ValidationLoss, double ValidationAccuracy, double LearningRate, MonitorSample? Monitor)
{
    /// <summary>For a cross-fitted ensemble's progress, the 1-based member this epoch belongs to; 0 for a single network.</summary>
    public int Member { get; init; }

    /// <summary>For a cross-fitted ensemble's progress, how many members are trained; 0 for a single network.</summary>
    public int Members { get; init; }
}

/// <summary>Internals sampled during training, read by the diagnosis.</summary>
/// <param name="GradientNorms">L2 norm of each parameter's gradient on the epoch's last minibatch, by name.</param>
/// <param name="FirstLayerWeightChange">Relative change ‖ΔW‖/‖W‖ of the first Linear's weights since the previous sample.</param>
/// <param name="FirstLayerBiasChange">Relative change ‖Δb‖/‖b‖ of the first Linear's bias since the previous sample.</param>
/// <param name="SaturatedFraction">Fraction of sigmoid/tanh hidden outputs within 1 % of their limits on a training sample.</param>
/// <param name="DeadFraction">Fraction of ReLU hidden units that output 0 on every row of a training sample.</param>
public sealed record MonitorSample(
    IReadOnlyDictionary<string, double> GradientNorms,
    double FirstLayerWeightChange,
    double FirstLayerBiasChange,
    double SaturatedFraction,
    double DeadFraction);

/// <summary>Why training ended.</summary>
public enum StopReason
{
    /// <summary>All epochs ran.</summary>
    Completed,

    /// <summary>The validation loss stopped improving; the best weights were restored.</summary>
    EarlyStopped,

    /// <summary>The loss or a weight became NaN or infinite; the last good weights were kept.</summary>
    Diverged,

    /// <summary>A stop was requested (<see cref="TrainingOptions.StopRequest"/>); the best weights so far were kept.</summary>
    Interrupted,
}

/// <summary>The one spelling of each <see cref="StopReason"/> in machine-readable output.</summary>
public static class StopReasonNames
{
    /// <summary>The JSON value: <c>completed</c>, <c>early_stopped</c>, <c>diverged</c> or <c>interrupted</c>.</summary>
    public static string JsonName(this StopReason reason) => reason switch
    {
        StopReason.EarlyStopped => "early_stopped",
        StopReason.Diverged => "diverged",
        StopReason.Interrupted => "interrupted",
        _ => "completed",
    };

    /// <summary>
    /// The JSON value of a stop reason as a model file stores it (the enum's name, e.g. <c>EarlyStopped</c>);
    /// an unknown name is passed through in lower case.
    /// </summary>
    public static string JsonName(string storedName) =>
        Enum.TryParse<StopReason>(storedName, ignoreCase: false, out var reason) && Enum.IsDefined(reason)
            ? reason.JsonName()
            : storedName.ToLowerInvariant();
}
