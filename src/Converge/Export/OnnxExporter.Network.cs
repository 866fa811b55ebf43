using System.Globalization;
using Converge.Modules;
using Converge.Training;

namespace Converge.Export;

public static partial class OnnxExporter
{
    /// <summary>
    /// Emits the network's layers in order, each as its <see cref="LayerKinds"/> row says. Dropout is the
    /// identity in eval mode (the only mode a saved model predicts in), so it emits nothing. The last layer's output is named
    /// <paramref name="output"/> (<see cref="ProbabilityOutput"/> by default), or a Sigmoid is appended when
    /// the network ends in a logit. Initializers are named <c>{prefix}.{layer}.weight</c> etc.
    /// </summary>
    internal static void AddNetwork(OnnxGraphBuilder b, string x, Sequential network, int inputWidth, bool applySigmoid,
        string prefix = "network", string output = ProbabilityOutput)
    {
        var layers = new List<(string Path, Module Module)>();
        Flatten(network, "", layers);
        if (layers.Count == 0) throw new OnnxExportException("OnnxExporter: the network has no layers besides Dropout.");
        var width = inputWidth;
        for (var i = 0; i < layers.Count; i++)
        {
            var named = !applySigmoid && i == layers.Count - 1 ? output : null;
            (x, width) = AddLayer(b, x, width, prefix, layers[i].Path, layers[i].Module, named);
        }
        if (width != 1)
            throw new OnnxExportException($"OnnxExporter: the network ends with {width} outputs; a binary classifier needs exactly 1.");
        if (applySigmoid) b.AddNode(LayerKinds.Sigmoid.OnnxOp, [x], [output]);   // NetworkProbability.FromOutputs
    }

    private static void Flatten(Module module, string path, List<(string Path, Module Module)> layers)
    {
        if (module is Sequential sequential)
        {
            for (var i = 0; i < sequential.Count; i++)
                Flatten(sequential[i], path.Length == 0 ? Index(i) : $"{path}.{Index(i)}", layers);
        }
        else if (LayerKinds.Of(module) is not { Role: LayerRole.Identity })
        {
            layers.Add((path, module));
        }
    }

    private static (string Output, int Width) AddLayer(OnnxGraphBuilder b, string x, int width, string prefix, string path, Module module, string? output)
    {
        var kind = LayerKinds.Of(module);
        switch (kind?.Role)
        {
            case LayerRole.Linear:
                var linear = (Linear)module;
                if (linear.InFeatures != width) throw WidthMismatch(path, "Linear", linear.InFeatures, width);
                string[] gemmInputs =
                [
                    x,
                    b.AddInitializer($"{prefix}.{path}.weight", linear.Weight.Data, linear.OutFeatures, linear.InFeatures),
                    linear.Bias is null ? "" : b.AddInitializer($"{prefix}.{path}.bias", linear.Bias.Data, linear.OutFeatures),
                ];
                return (Node(b, kind.OnnxOp, gemmInputs[..(linear.Bias is null ? 2 : 3)], output, OnnxAttribute.Int("transB", 1)), linear.OutFeatures);
            case LayerRole.BatchNorm:
                var norm = (BatchNorm1d)module;
                if (norm.NumFeatures != width) throw WidthMismatch(path, "BatchNorm1d", norm.NumFeatures, width);
                if (norm.RunningMean is null || norm.RunningVar is null)
                    throw new OnnxExportException($"OnnxExporter: the BatchNorm1d at '{path}' has no running statistics (trackRunningStats: false), so it has no inference form.");
                // Inference form: y = (x − running_mean) / √(running_var + eps) · γ + β; no affine means γ = 1, β = 0.
                var n = norm.NumFeatures;
                string[] bnInputs =
                [
                    x,
                    b.AddInitializer($"{prefix}.{path}.weight", norm.Weight?.Data ?? [.. Enumerable.Repeat(1f, n)], n),
                    b.AddInitializer($"{prefix}.{path}.bias", norm.Bias?.Data ?? new float[n], n),
                    b.AddInitializer($"{prefix}.{path}.running_mean", norm.RunningMean.Data, n),
                    b.AddInitializer($"{prefix}.{path}.running_var", norm.RunningVar.Data, n),
                ];
                return (Node(b, kind.OnnxOp, bnInputs, output, OnnxAttribute.Float("epsilon", (float)norm.Eps)), width);
            case LayerRole.Elementwise:
                OnnxAttribute[] attributes = kind.OnnxAttribute is { } name ? [OnnxAttribute.Float(name, kind.Parameter(module))] : [];
                return (Node(b, kind.OnnxOp, [x], output, attributes), width);
            default:
                throw new OnnxExportException(
                    $"OnnxExporter: layer '{path}' is a {module.GetType().Name}, which cannot be exported to ONNX (supported: Sequential, {LayerKinds.Names}).");
        }
    }

    private static string Node(OnnxGraphBuilder b, string opType, string[] inputs, string? output, params OnnxAttribute[] attributes)
    {
        if (output is null) return b.AddNode(opType, inputs, attributes);
        b.AddNode(opType, inputs, [output], attributes);
        return output;
    }

    private static OnnxExportException WidthMismatch(string path, string type, int expected, int actual) =>
        new($"OnnxExporter: layer '{path}' ({type}) takes {expected} features but receives {actual}.");

    private static string Index(int i) => i.ToString(CultureInfo.InvariantCulture);
}
