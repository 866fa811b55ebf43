using Converge.Tensors;

namespace Converge.Optimizers;

/// <summary>
/// Base of the optimizers: the parameters it updates, the learning rate (read at every
/// <see cref="Step"/>, so a schedule acts by setting it), gradient zeroing and clipping.
/// </summary>
public abstract class Optimizer
{
    private double _learningRate;

    protected Optimizer(IEnumerable<Tensor> parameters, double learningRate)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Parameters = [.. parameters];
        if (Parameters.Count == 0) throw new ArgumentException("The optimizer got an empty parameter list.", nameof(parameters));
        LearningRate = learningRate;
        InitialLearningRate = learningRate;
    }

    /// <summary>The tensors this optimizer updates, in order.</summary>
    public IReadOnlyList<Tensor> Parameters { get; }

    /// <summary>The learning rate the next <see cref="Step"/> uses.</summary>
    public double LearningRate
    {
        get => _learningRate;
        set
        {
            if (!(value >= 0) || double.IsInfinity(value))
                throw new ArgumentOutOfRangeException(nameof(value), $"Learning rate must be a finite number ≥ 0, got {value}.");
            _learningRate = value;
        }
    }

    /// <summary>The learning rate given at construction (PyTorch's <c>initial_lr</c>); schedules start from it.</summary>
    public double InitialLearningRate { get; }

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
