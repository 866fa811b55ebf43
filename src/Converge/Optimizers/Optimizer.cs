using Converge.Tensors;

namespace Converge.Optimizers;

/// <summary>
/// Base of the optimizers: the parameter groups it updates, each with its learning rate (read at
/// every <see cref="Step"/>, so a schedule acts by setting it) and weight decay, gradient zeroing and
/// clipping.
/// </summary>
public abstract class Optimizer
{
    /// <summary>One group of <paramref name="parameters"/> with <paramref name="learningRate"/> and no weight decay.</summary>
    protected Optimizer(IEnumerable<Tensor> parameters, double learningRate)
        : this([new ParameterGroup(parameters ?? throw new ArgumentNullException(nameof(parameters)))], learningRate, 0)
    {
    }

    /// <summary>
    /// The given groups, their null settings filled with <paramref name="defaultLearningRate"/> and
    /// <paramref name="defaultWeightDecay"/>. A tensor may appear in only one group (as in PyTorch).
    /// </summary>
    protected Optimizer(IEnumerable<ParameterGroup> groups, double defaultLearningRate, double defaultWeightDecay)
    {
        ArgumentNullException.ThrowIfNull(groups);
        ParamGroups = [.. groups];
        if (ParamGroups.Any(static g => g is null)) throw new ArgumentException("The optimizer got a null parameter group.", nameof(groups));
        foreach (var group in ParamGroups) group.Adopt(this, defaultLearningRate, defaultWeightDecay);
        Parameters = [.. ParamGroups.SelectMany(static g => g.Parameters)];
        if (Parameters.Count == 0) throw new ArgumentException("The optimizer got an empty parameter list.", nameof(groups));
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        foreach (var p in Parameters)
            if (!seen.Add(p)) throw new ArgumentException("Some parameters appear more than once (in one group or in several); each tensor may be optimized once.", nameof(groups));
    }

    /// <summary>The parameter groups, in order (PyTorch's <c>param_groups</c>).</summary>
    public IReadOnlyList<ParameterGroup> ParamGroups { get; }

    /// <summary>Every tensor this optimizer updates, group after group.</summary>
    public IReadOnlyList<Tensor> Parameters { get; }

    /// <summary>
    /// The first group's learning rate. Setting it sets every group's (the usual single-group case);
    /// to keep different rates per group set <see cref="ParameterGroup.LearningRate"/> on each.
    /// </summary>
    public double LearningRate
    {
        get => ParamGroups[0].LearningRate;
        set
        {
            for (var i = 0; i < ParamGroups.Count; i++) ParamGroups[i].LearningRate = value;
        }
    }

    /// <summary>The first group's learning rate at construction (PyTorch's <c>initial_lr</c>); schedules start from it.</summary>
    public double InitialLearningRate => ParamGroups[0].InitialLearningRate;

    /// <summary>
    /// The momentum-like coefficient a one-cycle schedule cycles: SGD's momentum, Adam's β1.
    /// Null for an optimizer without one.
    /// </summary>
    public virtual double? Momentum { get => null; set { } }

    /// <summary>Updates every parameter that has a gradient, once.</summary>
    public abstract void Step();

    /// <summary>A copy of the optimizer's state, to save and resume training (PyTorch's <c>state_dict()</c>).</summary>
    public OptimizerState StateDict()
    {
        var groups = new List<ParameterGroupState>();
        var index = 0;
        foreach (var g in ParamGroups)
        {
            groups.Add(new ParameterGroupState([.. Enumerable.Range(index, g.Parameters.Count)], g.LearningRate, g.WeightDecay, g.InitialLearningRate));
            index += g.Parameters.Count;
        }
        var state = new Dictionary<int, ParameterState>();
        for (var i = 0; i < Parameters.Count; i++)
            if (CaptureState(i) is { } s) state[i] = s;
        return new OptimizerState(groups, state, Momentum);
    }

    /// <summary>
    /// Restores a state from <see cref="StateDict"/> of an optimizer of the same kind over parameters
    /// of the same shapes, grouped the same way (PyTorch's <c>load_state_dict</c>); the values are copied.
    /// </summary>
    public void LoadStateDict(OptimizerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.ParamGroups.Count != ParamGroups.Count)
            throw new ArgumentException($"LoadStateDict: the state has {state.ParamGroups.Count} parameter groups, this optimizer {ParamGroups.Count}.", nameof(state));
        for (var g = 0; g < ParamGroups.Count; g++)
            if (state.ParamGroups[g].Params.Count != ParamGroups[g].Parameters.Count)
                throw new ArgumentException($"LoadStateDict: group {g} has {state.ParamGroups[g].Params.Count} parameters in the state, {ParamGroups[g].Parameters.Count} here.", nameof(state));
        foreach (var (i, s) in state.State)
        {
            if (i < 0 || i >= Parameters.Count) throw new ArgumentException($"LoadStateDict: the state names parameter {i}, this optimizer has {Parameters.Count}.", nameof(state));
            foreach (var (name, buffer) in s.Buffers)
                if (buffer.Length != Parameters[i].Length)
                    throw new ArgumentException($"LoadStateDict: '{name}' of parameter {i} has {buffer.Length} values, the parameter {Parameters[i].Length}.", nameof(state));
        }
        for (var g = 0; g < ParamGroups.Count; g++)
        {
            var (group, saved) = (ParamGroups[g], state.ParamGroups[g]);
            (group.LearningRate, group.WeightDecay, group.InitialLearningRate) = (saved.LearningRate, saved.WeightDecay, saved.InitialLearningRate);
        }
        for (var i = 0; i < Parameters.Count; i++) RestoreState(i, state.State.GetValueOrDefault(i));
        if (state.Momentum is { } momentum) Momentum = momentum;
    }

    /// <summary>Parameter <paramref name="index"/>'s state as copies, or null if it has none yet.</summary>
    protected virtual ParameterState? CaptureState(int index) => null;

    /// <summary>Replaces parameter <paramref name="index"/>'s state with copies of <paramref name="state"/> (null: none yet). Lengths are checked by the caller.</summary>
    protected virtual void RestoreState(int index, ParameterState? state) { }

    /// <summary>Fills every parameter's gradient with zeros (PyTorch 1.13's default, set_to_none=False).</summary>
    public void ZeroGrad()
    {
        // Indexed: foreach over the IReadOnlyList interface would allocate an enumerator every step.
        for (var i = 0; i < Parameters.Count; i++) Parameters[i].ZeroGrad();
    }

    /// <summary>
    /// Scales all gradients together so that their global norm is at most <paramref name="maxNorm"/>
    /// (torch.nn.utils.clip_grad_norm_). Returns the norm before clipping.
    /// </summary>
    public static double ClipGradNorm(IEnumerable<Tensor> parameters, double maxNorm, double normType = 2, bool errorIfNonfinite = false) =>
        ClipGradNorm(parameters as IReadOnlyList<Tensor> ?? [.. parameters ?? throw new ArgumentNullException(nameof(parameters))], maxNorm, normType, errorIfNonfinite);

    /// <summary>
    /// <c>torch.nn.utils.clip_grad_norm_</c> over a list, with indexed loops (the training loop calls it
    /// every step, where an interface enumerator would allocate). The total norm is the
    /// <paramref name="normType"/>-norm of all gradients together (<see cref="double.PositiveInfinity"/>:
    /// the largest |g|); every gradient is multiplied by min(1, maxNorm / (norm + 1e-6)), so a NaN or
    /// infinite norm spreads NaN or zeros into them as in PyTorch, unless
    /// <paramref name="errorIfNonfinite"/> makes it throw instead. Returns the norm before clipping,
    /// summed in double (PyTorch sums in float32: the two differ by float32 rounding).
    /// </summary>
    public static double ClipGradNorm(IReadOnlyList<Tensor> parameters, double maxNorm, double normType = 2, bool errorIfNonfinite = false)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(maxNorm > 0)) throw new ArgumentOutOfRangeException(nameof(maxNorm), $"maxNorm must be > 0, got {maxNorm}.");
        if (!(normType > 0)) throw new ArgumentOutOfRangeException(nameof(normType), $"normType must be > 0 (or +∞), got {normType}.");
        var norm = GradNorm(parameters, normType);
        if (errorIfNonfinite && !double.IsFinite(norm))
            throw new InvalidOperationException($"The total norm of order {normType} of the gradients is {norm}, so they cannot be clipped (errorIfNonfinite is set).");
        var coefficient = maxNorm / (norm + 1e-6);   // PyTorch adds 1e-6 to avoid dividing by zero
        if (!(coefficient >= 1))                     // also NaN: PyTorch's clamp(max=1) keeps it
            for (var i = 0; i < parameters.Count; i++)
                if (parameters[i].Grad is { } g) System.Numerics.Tensors.TensorPrimitives.Multiply(g, (float)coefficient, g);
        return norm;
    }

    /// <summary>Clamps every gradient element to [−<paramref name="clipValue"/>, <paramref name="clipValue"/>] (torch.nn.utils.clip_grad_value_).</summary>
    public static void ClipGradValue(IEnumerable<Tensor> parameters, double clipValue)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(clipValue >= 0) || double.IsInfinity(clipValue)) throw new ArgumentOutOfRangeException(nameof(clipValue), $"clipValue must be a finite number ≥ 0, got {clipValue}.");
        var c = (float)clipValue;
        foreach (var p in parameters)
            if (p.Grad is { } g) Kernels.ElementwiseKernels.Clamp(g, -c, c, g);
    }

    private static double GradNorm(IReadOnlyList<Tensor> parameters, double normType)
    {
        var total = 0d;
        for (var i = 0; i < parameters.Count; i++)
        {
            if (parameters[i].Grad is not { } g) continue;
            if (double.IsPositiveInfinity(normType))
                foreach (var v in g) total = Math.Max(total, Math.Abs((double)v));   // Math.Max propagates NaN
            else if (normType == 2) total += System.Numerics.Tensors.TensorPrimitives.SumOfSquares<float>(g);
            else foreach (var v in g) total += Math.Pow(Math.Abs((double)v), normType);
        }
        return double.IsPositiveInfinity(normType) ? total : normType == 2 ? Math.Sqrt(total) : Math.Pow(total, 1 / normType);
    }
}
