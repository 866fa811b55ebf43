using System.Numerics.Tensors;
using Converge.Kernels;
using Converge.Modules;

namespace Converge.Training;

/// <summary>Hidden-layer nonlinearity of a <see cref="NetworkSpec"/>.</summary>
/// <remarks>A new value needs its row in <see cref="LayerKinds"/> (module, predictor, ONNX, saturation), nothing else in the library.</remarks>
public enum Activation
{
    /// <summary>max(0, x).</summary>
    Relu,

    /// <summary>tanh(x).</summary>
    Tanh,

    /// <summary>1/(1 + e⁻ˣ).</summary>
    Sigmoid,

    /// <summary>x, or 0.01·x below 0.</summary>
    LeakyRelu,
}

/// <summary>What a layer kind is to the code that reads networks layer by layer.</summary>
internal enum LayerRole
{
    /// <summary>A weighted product: the predictor packs it, the export writes Gemm with initializers.</summary>
    Linear,

    /// <summary>Per-feature affine map in eval mode (running statistics).</summary>
    BatchNorm,

    /// <summary>The identity in eval mode, the only mode a trained network predicts in: skipped.</summary>
    Identity,

    /// <summary>An elementwise function: <see cref="LayerKind.Forward"/>, <see cref="LayerKind.OnnxOp"/>, and how it saturates.</summary>
    Elementwise,
}

/// <summary>Forward of an elementwise layer in place, for the predictor; <paramref name="parameter"/> is <see cref="LayerKind.Parameter"/> of the module.</summary>
internal delegate void ElementwiseForward(Span<float> values, float parameter);

/// <summary>One supported layer kind, as every reader of a network layer by layer sees it.</summary>
/// <param name="Name">The module's name (PyTorch's).</param>
/// <param name="ModuleType">The <see cref="Module"/> class that is this kind.</param>
/// <param name="Role">How the predictor and the export treat it.</param>
/// <param name="OnnxOp">The ONNX operator (opset 13) it exports to; empty for <see cref="LayerRole.Identity"/>.</param>
internal sealed record LayerKind(string Name, Type ModuleType, LayerRole Role, string OnnxOp)
{
    /// <summary>The <see cref="Training.Activation"/> this kind is, when <see cref="NetworkSpec"/> can use it as hidden nonlinearity.</summary>
    public Activation? Activation { get; init; }

    /// <summary>How the CLI's <c>--activation</c> spells <see cref="Activation"/> (activation kinds).</summary>
    public string? OptionName { get; init; }

    /// <summary>A fresh module of this kind with PyTorch's defaults (elementwise kinds).</summary>
    public Func<Module>? Create { get; init; }

    /// <summary>The predictor's forward (elementwise kinds): the same function as the module's, on plain floats.</summary>
    public ElementwiseForward? Forward { get; init; }

    /// <summary>The module's one scalar setting that <see cref="Forward"/> and <see cref="OnnxAttribute"/> take (LeakyReLU's slope); 0 otherwise.</summary>
    public Func<Module, float> Parameter { get; init; } = static _ => 0f;

    /// <summary>The ONNX float attribute that carries <see cref="Parameter"/>, if the op has one.</summary>
    public string? OnnxAttribute { get; init; }

    /// <summary>The predictor may fuse this kind into the packed Linear before it (<see cref="PackedLinear"/> applies ReLU on the way out).</summary>
    public bool FusesIntoLinear { get; init; }

    /// <summary>A bounded activation's output within 1 % of its limits (almost no gradient passes); null when the kind does not saturate.</summary>
    public Func<float, bool>? IsSaturated { get; init; }

    /// <summary>A unit of this kind is dead when it outputs nothing above 0 on every row (ReLU-like kinds).</summary>
    public bool Dies { get; init; }

    /// <summary>
    /// The probes' reading of this layer's outputs <paramref name="output"/> [rows, units]: saturated values out of
    /// the bounded ones (<see cref="IsSaturated"/>), and units silent on every row (<see cref="Dies"/>).
    /// </summary>
    public (long Saturated, long Bounded, int Dead, int Units) Measure(ReadOnlySpan<float> output, int rows, int units)
    {
        var (saturated, bounded, dead) = (0L, 0L, 0);
        if (IsSaturated is { } isSaturated)
        {
            foreach (var v in output) if (isSaturated(v)) saturated++;
            bounded = output.Length;
        }
        if (Dies)
        {
            for (var unit = 0; unit < units; unit++)
            {
                var alive = false;
                for (var r = 0; r < rows && !alive; r++) alive = output[r * units + unit] > 0f;
                if (!alive) dead++;
            }
        }
        return (saturated, bounded, dead, Dies ? units : 0);
    }
}

/// <summary>
/// The one table of layer kinds: the predictor, the ONNX export, the doctor's reading of a user's model and the
/// saturation probes all look a module up here. A new activation is a module in <c>Modules/</c>, a value of
/// <see cref="Activation"/> and one row below.
/// </summary>
internal static class LayerKinds
{
    public static readonly LayerKind Linear = new(nameof(Modules.Linear), typeof(Modules.Linear), LayerRole.Linear, "Gemm");

    public static readonly LayerKind BatchNorm1d = new(nameof(Modules.BatchNorm1d), typeof(Modules.BatchNorm1d), LayerRole.BatchNorm, "BatchNormalization");

    public static readonly LayerKind Dropout = new(nameof(Modules.Dropout), typeof(Modules.Dropout), LayerRole.Identity, "");

    public static readonly LayerKind ReLU = new(nameof(Modules.ReLU), typeof(Modules.ReLU), LayerRole.Elementwise, "Relu")
    {
        Activation = Training.Activation.Relu,
        OptionName = "relu",
        Create = static () => new ReLU(),
        Forward = static (v, _) => TensorPrimitives.Max(v, 0f, v),
        FusesIntoLinear = true,
        Dies = true,
    };

    public static readonly LayerKind LeakyReLU = new(nameof(Modules.LeakyReLU), typeof(Modules.LeakyReLU), LayerRole.Elementwise, "LeakyRelu")
    {
        Activation = Training.Activation.LeakyRelu,
        OptionName = "leaky-relu",
        Create = static () => new LeakyReLU(),
        Forward = static (v, slope) =>
        {
            for (var i = 0; i < v.Length; i++) if (v[i] <= 0f) v[i] *= slope;
        },
        Parameter = static m => ((LeakyReLU)m).NegativeSlope,
        OnnxAttribute = "alpha",
        Dies = true,
    };

    public static readonly LayerKind Tanh = new(nameof(Modules.Tanh), typeof(Modules.Tanh), LayerRole.Elementwise, "Tanh")
    {
        Activation = Training.Activation.Tanh,
        OptionName = "tanh",
        Create = static () => new Tanh(),
        Forward = static (v, _) => ElementwiseKernels.Tanh(v, v),   // TensorPrimitives.Tanh is off by up to 3e-4 relative
        IsSaturated = static v => MathF.Abs(v) > 0.99f,
    };

    public static readonly LayerKind Sigmoid = new(nameof(Modules.Sigmoid), typeof(Modules.Sigmoid), LayerRole.Elementwise, "Sigmoid")
    {
        Activation = Training.Activation.Sigmoid,
        OptionName = "sigmoid",
        Create = static () => new Sigmoid(),
        Forward = static (v, _) => TensorPrimitives.Sigmoid(v, v),
        IsSaturated = static v => v is < 0.01f or > 0.99f,
    };

    /// <summary>Every supported kind.</summary>
    public static IReadOnlyList<LayerKind> All { get; } = [Linear, BatchNorm1d, Dropout, ReLU, LeakyReLU, Tanh, Sigmoid];

    /// <summary>The hidden activations a <see cref="NetworkSpec"/> can use, as the CLI spells them, in table order.</summary>
    public static IReadOnlyList<(string Name, Activation Value)> ActivationOptions { get; } =
        [.. All.Where(static k => k.Activation is not null).Select(static k => (k.OptionName!, k.Activation!.Value))];

    /// <summary>The supported kinds' names, for error messages.</summary>
    public static string Names { get; } = string.Join(", ", All.Select(static k => k.Name));

    /// <summary>The kind of <paramref name="module"/>, or null when no reader supports it (a <see cref="Sequential"/> is a container, not a kind).</summary>
    public static LayerKind? Of(Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        foreach (var kind in All)
            if (kind.ModuleType.IsInstanceOfType(module)) return kind;
        return null;
    }

    /// <summary>True for an elementwise activation (a kind with a <see cref="LayerKind.Forward"/>).</summary>
    public static bool IsActivation(Module module) => Of(module) is { Role: LayerRole.Elementwise };

    /// <summary>The kind of a <see cref="NetworkSpec"/> activation.</summary>
    public static LayerKind For(Activation activation)
    {
        foreach (var kind in All)
            if (kind.Activation == activation) return kind;
        throw new ArgumentOutOfRangeException(nameof(activation), activation, null);
    }
}
