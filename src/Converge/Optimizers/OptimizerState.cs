namespace Converge.Optimizers;

/// <summary>
/// A snapshot of an optimizer, to resume training where it stopped (PyTorch's
/// <c>optimizer.state_dict()</c>): the groups' hyperparameters and, per parameter (by index in
/// <see cref="Optimizer.Parameters"/>), its step count and buffers (Adam's <c>exp_avg</c>,
/// <c>exp_avg_sq</c>, <c>max_exp_avg_sq</c>; SGD's <c>momentum_buffer</c>). Arrays are copies.
/// </summary>
/// <param name="ParamGroups">Each group's settings and the indices of its parameters.</param>
/// <param name="State">Per-parameter state; parameters that have not stepped yet are absent.</param>
/// <param name="Momentum">The momentum (SGD) or β1 (Adam) the next step uses, which a schedule may have cycled; null if none.</param>
public sealed record OptimizerState(
    IReadOnlyList<ParameterGroupState> ParamGroups,
    IReadOnlyDictionary<int, ParameterState> State,
    double? Momentum);

/// <summary>One parameter group's settings in an <see cref="OptimizerState"/>.</summary>
/// <param name="Params">Indices of the group's tensors in <see cref="Optimizer.Parameters"/>.</param>
/// <param name="LearningRate">The group's current learning rate.</param>
/// <param name="WeightDecay">The group's weight decay.</param>
/// <param name="InitialLearningRate">The group's <c>initial_lr</c>.</param>
public sealed record ParameterGroupState(IReadOnlyList<int> Params, double LearningRate, double WeightDecay, double InitialLearningRate);

/// <summary>One parameter's optimizer state: its step count and named buffers (copies).</summary>
/// <param name="Step">Steps this parameter has taken (Adam's <c>state["step"]</c>; 0 for SGD, which keeps none).</param>
/// <param name="Buffers">Named buffers with PyTorch's names.</param>
public sealed record ParameterState(long Step, IReadOnlyDictionary<string, float[]> Buffers);

/// <summary>
/// A snapshot of an epoch-based schedule (PyTorch's <c>scheduler.state_dict()</c>): the epoch
/// counter, the last learning rate, and the schedule's own counters by name.
/// </summary>
/// <param name="LastEpoch">Steps since construction.</param>
/// <param name="LastLearningRate">The learning rate the last step wrote.</param>
/// <param name="Counters">Internal counters by name (CosineAnnealingWarmRestarts' T_cur and T_i; empty for the others).</param>
public sealed record SchedulerState(int LastEpoch, double LastLearningRate, IReadOnlyDictionary<string, double> Counters);
