using Converge.Tensors;

namespace Converge.Modules;

/// <summary>Runs its modules in order, each on the previous one's output; children are named "0", "1", ….</summary>
public sealed class Sequential : Module
{
    private readonly Module[] _layers;

    public Sequential(params Module[] layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        _layers = [.. layers];
    }

    public IReadOnlyList<Module> Layers => _layers;

    public int Count => _layers.Length;

    public Module this[int index] => _layers[index];

    public override Tensor Forward(Tensor input)
    {
        var x = input;
        foreach (var layer in _layers) x = layer.Forward(x);
        return x;
    }

    protected override IEnumerable<(string Name, Module Module)> Children() =>
        _layers.Select(static (layer, i) => (i.ToString(System.Globalization.CultureInfo.InvariantCulture), layer));
}
