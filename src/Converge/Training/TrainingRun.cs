using Converge.Data;
using Converge.Modules;

namespace Converge.Training;

/// <summary>The outcome of <see cref="TabularRecipe.Fit"/>.</summary>
/// <param name="Model">The trained network, in eval mode, with the best weights.</param>
/// <param name="Spec">Its architecture.</param>
/// <param name="Scaler">The standardization fitted on the training rows, or null.</param>
/// <param name="History">One entry per epoch run.</param>
/// <param name="BestEpoch">The epoch whose weights the model holds.</param>
/// <param name="StopReason">Why training ended.</param>
/// <param name="Divergence">What went wrong when the run diverged; null otherwise.</param>
/// <param name="Elapsed">Wall time of the whole fit.</param>
/// <param name="PosWeight">The positive-class weight used, or null.</param>
public sealed record TrainingRun(
    Sequential Model,
    NetworkSpec Spec,
    StandardScaler? Scaler,
    IReadOnlyList<EpochLog> History,
    int BestEpoch,
    StopReason StopReason,
    string? Divergence,
    TimeSpan Elapsed,
    double? PosWeight);
