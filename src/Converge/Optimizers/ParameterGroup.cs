using Converge.Tensors;

namespace Converge.Optimizers;

/// <summary>
/// A set of parameters with its own hyperparameters, as an entry of PyTorch's
/// <c>optimizer.param_groups</c>: e.g. no weight decay on biases and BatchNorm, or a smaller learning
/// rate for the first layer. A value left null is filled from the optimizer's options when the group
/// is passed to an optimizer (PyTorch's <c>setdefault</c>); a group belongs to one optimizer.
/// <code>
/// var decay = model.NamedParameters().Where(p => p.Name.EndsWith("weight")).Select(p => p.Value);
/// var noDecay = model.NamedParameters().Where(p => p.Name.EndsWith("bias")).Select(p => p.Value);
/// var optimizer = new AdamW([new ParameterGroup(decay), new ParameterGroup(noDecay, weightDecay: 0)], new AdamOptions { LearningRate = 3e-3 });
/// </code>
/// </summary>
public sealed class ParameterGroup
{
    private double _learningRate;
    private double _weightDecay;

    /// <summary>A group of <paramref name="parameters"/>; null settings come from the optimizer's options.</summary>
    public ParameterGroup(IEnumerable<Tensor> parameters, double? learningRate = null, double? weightDecay = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Parameters = [.. parameters];
        if (Parameters.Any(static p => p is null)) throw new ArgumentException("A parameter group contains a null parameter.", nameof(parameters));
        if (learningRate is { } lr) LearningRate = lr;
        if (weightDecay is { } wd) WeightDecay = wd;
        (LearningRateGiven, WeightDecayGiven) = (learningRate is not null, weightDecay is not null);
    }

    /// <summary>The tensors of this group, in order.</summary>
    public IReadOnlyList<Tensor> Parameters { get; }

    /// <summary>The learning rate the next step uses for this group (<c>group["lr"]</c>); schedules set it.</summary>
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

    /// <summary>This group's weight decay (L2 for Adam and SGD, decoupled for AdamW; <c>group["weight_decay"]</c>).</summary>
    public double WeightDecay
    {
        get => _weightDecay;
        set
        {
            if (!(value >= 0) || double.IsInfinity(value))
                throw new ArgumentOutOfRangeException(nameof(value), $"Weight decay must be a finite number ≥ 0, got {value}.");
            _weightDecay = value;
        }
    }

    /// <summary>The learning rate when the optimizer adopted the group (PyTorch's <c>initial_lr</c>); schedules start from it.</summary>
    public double InitialLearningRate { get; internal set; }

    private bool LearningRateGiven { get; }

    private bool WeightDecayGiven { get; }

    internal object? Owner { get; private set; }

    /// <summary>Fills the settings left null and binds the group to <paramref name="owner"/>.</summary>
    internal void Adopt(object owner, double defaultLearningRate, double defaultWeightDecay)
    {
        if (Owner is not null && !ReferenceEquals(Owner, owner))
            throw new ArgumentException("This parameter group already belongs to another optimizer; create a new ParameterGroup for each optimizer.");
        Owner = owner;
        if (!LearningRateGiven) LearningRate = defaultLearningRate;
        if (!WeightDecayGiven) WeightDecay = defaultWeightDecay;
        InitialLearningRate = LearningRate;
    }
}
