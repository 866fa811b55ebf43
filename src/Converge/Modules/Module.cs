using Converge.Tensors;

namespace Converge.Modules;

/// <summary>
/// Base of every layer and model, like PyTorch's <c>nn.Module</c>. A subclass lists its own
/// parameters, buffers and child modules explicitly (no reflection) and implements
/// <see cref="Forward"/>. Names follow PyTorch's state dictionary ("0.weight", "bn.running_mean").
/// </summary>
public abstract class Module
{
    /// <summary>True in training mode (the default); BatchNorm and Dropout behave differently in eval mode.</summary>
    public bool IsTraining { get; private set; } = true;

    /// <summary>Computes the module's output; in training mode when <see cref="IsTraining"/>.</summary>
    public abstract Tensor Forward(Tensor input);

    /// <summary>This module's own parameters (not its children's), with their local names.</summary>
    protected virtual IEnumerable<(string Name, Tensor Value)> OwnParameters() => [];

    /// <summary>This module's own buffers: state that is saved but not optimized (BatchNorm's running statistics).</summary>
    protected virtual IEnumerable<(string Name, Tensor Value)> OwnBuffers() => [];

    /// <summary>The child modules, with the names that prefix their parameters.</summary>
    protected virtual IEnumerable<(string Name, Module Module)> Children() => [];

    /// <summary>Every parameter of this module and its descendants, with dotted names.</summary>
    public IEnumerable<(string Name, Tensor Value)> NamedParameters() => Walk(static m => m.OwnParameters());

    /// <summary>Every buffer of this module and its descendants, with dotted names.</summary>
    public IEnumerable<(string Name, Tensor Value)> NamedBuffers() => Walk(static m => m.OwnBuffers());

    /// <summary>The direct children, for inspection and export.</summary>
    public IEnumerable<(string Name, Module Module)> NamedChildren() => Children();

    /// <summary>Every parameter, in state-dictionary order: what an optimizer takes.</summary>
    public IEnumerable<Tensor> Parameters() => NamedParameters().Select(static p => p.Value);

    /// <summary>Parameters and buffers by name; the tensors themselves, not copies.</summary>
    public IReadOnlyDictionary<string, Tensor> StateDict()
    {
        var state = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, value) in NamedParameters()) state.Add(name, value);
        foreach (var (name, value) in NamedBuffers()) state.Add(name, value);
        return state;
    }

    /// <summary>
    /// Copies values into this module's parameters and buffers. Every entry must be present with
    /// the same shape (PyTorch's strict mode); the message names the first that is not.
    /// </summary>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var own = StateDict();
        foreach (var (name, target) in own)
        {
            if (!state.TryGetValue(name, out var source))
                throw new ArgumentException($"LoadStateDict: missing entry '{name}'.", nameof(state));
            if (!source.Shape.AsSpan().SequenceEqual(target.Shape))
                throw new ArgumentException($"LoadStateDict: '{name}' has shape {Tensor.ShapeToString(source.Shape)}, the module expects {Tensor.ShapeToString(target.Shape)}.", nameof(state));
            source.Data.CopyTo(target.Data, 0);
        }
        foreach (var name in state.Keys)
            if (!own.ContainsKey(name))
                throw new ArgumentException($"LoadStateDict: unexpected entry '{name}'.", nameof(state));
    }

    /// <summary>Sets training mode on this module and all descendants; returns this.</summary>
    public Module Train(bool training = true)
    {
        IsTraining = training;
        foreach (var (_, child) in Children()) child.Train(training);
        return this;
    }

    /// <summary>Evaluation mode (BatchNorm uses running statistics, Dropout is off); returns this.</summary>
    public Module Eval() => Train(false);

    /// <summary>Zeros the gradients of every parameter.</summary>
    public void ZeroGrad()
    {
        foreach (var p in Parameters()) p.ZeroGrad();
    }

    /// <summary>Total number of scalar parameters.</summary>
    public int ParameterCount() => Parameters().Sum(static p => p.Length);

    /// <summary>A one-line description of this module's own settings, as in PyTorch's printout.</summary>
    protected virtual string ExtraRepresentation() => "";

    /// <summary>The module tree, printed as PyTorch prints it.</summary>
    public override string ToString()
    {
        var children = Children().ToList();
        var head = $"{GetType().Name}({ExtraRepresentation()}";
        if (children.Count == 0) return head + ")";
        var lines = children.Select(c => $"  ({c.Name}): {c.Module.ToString().Replace("\n", "\n  ", StringComparison.Ordinal)}");
        return head + "\n" + string.Join("\n", lines) + "\n)";
    }

    private IEnumerable<(string Name, Tensor Value)> Walk(Func<Module, IEnumerable<(string Name, Tensor Value)>> own)
    {
        foreach (var item in own(this)) yield return item;
        foreach (var (childName, child) in Children())
            foreach (var (name, value) in child.Walk(own))
                yield return ($"{childName}.{name}", value);
    }
}
