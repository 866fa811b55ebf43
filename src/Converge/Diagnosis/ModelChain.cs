using Converge.Modules;
using Converge.Tensors;
using Converge.Training;

namespace Converge.Diagnosis;

/// <summary>
/// Reads a user's own <see cref="Module"/> as the chain of layers it computes, when it is one:
/// [BatchNorm1d] → (Linear → activation)* → Linear → [sigmoid]. The layers are found among the module's children
/// (depth first, in registration order); activations applied as tensor functions in <c>Forward</c> (as
/// <c>torch.sigmoid(self.fc1(x))</c>) are found by trying each <see cref="Activation"/>. Layer kinds come from <see cref="LayerKinds"/>. A hypothesis counts only when it reproduces
/// the module's own output on the data and on synthetic N(0, 1) rows, so the doctor never probes a network it has misread.
/// </summary>
internal static class ModelChain
{
    private const int SampleRows = 256;

    private const int ProbeRows = 64;

    /// <summary>A view sharing the user's layer instances (so probes see the live weights), and its architecture.</summary>
    public sealed record Chain(Sequential View, NetworkSpec Spec);

    public static Chain? Infer(Module model, float[] features, int rows, int cols)
    {
        if (model is Sequential direct && SpecOf(direct.Layers, cols) is { } spec0) return Verify(model, direct, spec0, features, rows, cols);
        var leaves = Leaves(model).Where(static m => LayerKinds.Of(m) is not { Role: LayerRole.Identity }).ToList();
        if (leaves.Count == 0 || leaves.Any(static m => LayerKinds.Of(m) is null)) return null;
        foreach (var layers in Hypotheses(leaves))
        {
            if (SpecOf(layers, cols) is not { } spec) continue;
            if (Verify(model, new Sequential([.. layers]), spec, features, rows, cols) is { } chain) return chain;
        }
        return null;
    }

    private static IEnumerable<List<Module>> Hypotheses(List<Module> leaves)
    {
        if (leaves.Any(LayerKinds.IsActivation))
        {
            yield return leaves;
            yield return [.. leaves, new Sigmoid()];
            yield break;
        }
        var linears = leaves.OfType<Linear>().ToList();
        foreach (var activation in Enum.GetValues<Activation>())
        {
            var layers = new List<Module>();
            foreach (var m in leaves)
            {
                layers.Add(m);
                if (m is Linear && !ReferenceEquals(m, linears[^1])) layers.Add(NetworkSpec.ActivationModule(activation));
            }
            yield return layers;
            yield return [.. layers, new Sigmoid()];
            if (linears.Count == 1) yield break;   // no hidden layer: the activation kind does not matter
        }
    }

    private static IEnumerable<Module> Leaves(Module module)
    {
        var children = module.NamedChildren().ToList();
        if (children.Count == 0)
        {
            yield return module;
            yield break;
        }
        foreach (var (_, child) in children)
            foreach (var leaf in Leaves(child)) yield return leaf;
    }

    /// <summary>The architecture when <paramref name="layers"/> has the shape <see cref="NetworkSpec.Build"/> makes.</summary>
    private static NetworkSpec? SpecOf(IReadOnlyList<Module> layers, int inputs)
    {
        var i = 0;
        var batchNorm = layers.Count > 0 && layers[0] is BatchNorm1d bn && bn.NumFeatures == inputs;
        if (batchNorm) i++;
        var (hidden, width) = (new List<int>(), inputs);
        Activation? activation = null;
        while (i < layers.Count && layers[i] is Linear linear && linear.InFeatures == width && linear.Bias is not null)
        {
            width = linear.OutFeatures;
            i++;
            if (i < layers.Count && Kind(layers[i]) is { } kind && i + 1 < layers.Count && layers[i + 1] is Linear)
            {
                if (activation is not null && activation != kind) return null;
                activation = kind;
                hidden.Add(width);
                i++;
            }
            else break;
        }
        if (width != 1 || hidden.Count == 0 && (i == 0 || layers[i - 1] is not Linear)) return null;
        var outputSigmoid = i < layers.Count && layers[i] is Sigmoid;
        if (outputSigmoid) i++;
        return i == layers.Count ? new NetworkSpec(inputs, [.. hidden], activation ?? Activation.Relu, batchNorm, outputSigmoid) : null;
    }

    private static Activation? Kind(Module m) => LayerKinds.Of(m)?.Activation;

    private static Chain? Verify(Module model, Sequential view, NetworkSpec spec, float[] features, int rows, int cols)
    {
        // The data rows, and synthetic N(0, 1) rows: on raw data every hidden unit may sit where two activations agree
        // (a sigmoid at −40 and a ReLU both give 0), so the data alone cannot tell the readings apart.
        var n = Math.Min(rows, SampleRows);
        var values = new float[(n + ProbeRows) * cols];
        features.AsSpan(0, n * cols).CopyTo(values);
        var g = new Generator(0xD0C7);
        for (var i = n * cols; i < values.Length; i++) values[i] = (float)g.NextNormal();
        var x = new Tensor(values, n + ProbeRows, cols);
        var wasTraining = model.IsTraining;
        model.Eval();
        view.Eval();
        try
        {
            using var _ = Tensor.NoGrad();
            var expected = model.Forward(x).Data;
            var actual = view.Forward(x).Data;
            if (expected.Length != actual.Length) return null;
            for (var i = 0; i < expected.Length; i++)
                if (!(Math.Abs(expected[i] - actual[i]) <= 1e-5f * (1 + Math.Abs(expected[i])))) return null;
            return new Chain(view, spec);
        }
        catch (ArgumentException)
        {
            return null;   // a layer refused the shapes: not this chain
        }
        finally
        {
            model.Train(wasTraining);
            view.Train(wasTraining);
        }
    }
}
