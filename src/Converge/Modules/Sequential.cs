using Converge.Tensors;

namespace Converge.Modules;

/// <summary>Runs its modules in order, each on the previous one's output; children are named "0", "1", ….</summary>
public sealed class Sequential : Module
{
    private readonly Module[] _layers;

    /// <summary>Chains <paramref name="layers"/>: each one's output is the next one's input.</summary>
    public Sequential(params Module[] layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        _layers = [.. layers];
    }

    /// <summary>The layers in order.</summary>
    public IReadOnlyList<Module> Layers => _layers;

    /// <summary>The number of layers.</summary>
    public int Count => _layers.Length;

    /// <summary>The layer at <paramref name="index"/>.</summary>
    public Module this[int index] => _layers[index];

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        var x = input;
        foreach (var layer in _layers) x = layer.Forward(x);
        return x;
    }

    /// <inheritdoc />
    protected override IEnumerable<(string Name, Module Module)> Children() =>
        _layers.Select(static (layer, i) => (i.ToString(System.Globalization.CultureInfo.InvariantCulture), layer));
}
