using Converge.Tensors;

namespace Converge.Modules;

/// <summary>
/// In training mode zeroes each element with probability P and scales the rest by 1/(1 − P),
/// so eval mode is the identity (inverted dropout, as PyTorch). The mask is redrawn on every
/// forward pass from the module's generator: the one given, else <see cref="Generator.Default"/>
/// at each forward pass (PyTorch draws dropout masks from the global generator).
/// </summary>
public sealed class Dropout : Module
{
    private readonly Generator _generator;

    /// <summary>Dropout with probability <paramref name="p"/>, masks drawn from <paramref name="generator"/> or <see cref="Generator.Default"/>.</summary>
    public Dropout(double p = 0.5, Generator? generator = null)
    {
        if (p is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(p), $"Dropout probability must be in [0, 1), got {p}.");
        P = p;
        _generator = generator ?? Generator.Default;
    }

    public double P { get; }

    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!IsTraining || P == 0) return input;
        var mask = new float[input.Length];
        var keepScale = (float)(1 / (1 - P));
        return Tensor.Custom(input.Shape, "dropout", [input],
            forward: output =>
            {
                for (var i = 0; i < mask.Length; i++) mask[i] = _generator.NextDouble() < P ? 0f : keepScale;
                System.Numerics.Tensors.TensorPrimitives.Multiply(input.Data, mask, output.Data);
            },
            backward: output => System.Numerics.Tensors.TensorPrimitives.FusedMultiplyAdd(output.Grad!, mask, input.GradSpan(), input.GradSpan())); // grad += out.grad · mask
    }

    protected override string ExtraRepresentation() => $"p={P.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
}
