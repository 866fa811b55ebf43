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

    /// <summary>Fills every parameter's gradient with zeros (PyTorch 1.13's default, set_to_none=False).</summary>
    public void ZeroGrad()
    {
        // Indexed: foreach over the IReadOnlyList interface would allocate an enumerator every step.
        for (var i = 0; i < Parameters.Count; i++) Parameters[i].ZeroGrad();
    }

    /// <summary>
    /// Scales all gradients together so that their global L2 norm is at most <paramref name="maxNorm"/>
    /// (torch.nn.utils.clip_grad_norm_). Returns the norm before clipping.
    /// </summary>
    public static double ClipGradNorm(IEnumerable<Tensor> parameters, double maxNorm) =>
        ClipGradNorm(parameters as IReadOnlyList<Tensor> ?? [.. parameters ?? throw new ArgumentNullException(nameof(parameters))], maxNorm);

    /// <summary>
    /// <see cref="ClipGradNorm(IEnumerable{Tensor}, double)"/> over a list, with indexed loops: the
    /// training loop calls it every step, where an interface enumerator would allocate.
    /// </summary>
    public static double ClipGradNorm(IReadOnlyList<Tensor> parameters, double maxNorm)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(maxNorm > 0)) throw new ArgumentOutOfRangeException(nameof(maxNorm), $"maxNorm must be > 0, got {maxNorm}.");
        var sumSquares = 0d;
        for (var i = 0; i < parameters.Count; i++)
            if (parameters[i].Grad is { } g) sumSquares += System.Numerics.Tensors.TensorPrimitives.SumOfSquares<float>(g);
        var norm = Math.Sqrt(sumSquares);
        var coefficient = maxNorm / (norm + 1e-6);   // PyTorch adds 1e-6 to avoid dividing by zero
        if (coefficient < 1)
            for (var i = 0; i < parameters.Count; i++)
                if (parameters[i].Grad is { } g) System.Numerics.Tensors.TensorPrimitives.Multiply(g, (float)coefficient, g);
        return norm;
    }
}
