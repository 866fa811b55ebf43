using System.Numerics.Tensors;
using Converge.Kernels;

namespace Converge.Tensors;

// Elementwise functions of one tensor. Each derivative sits right under its formula.
public sealed partial class Tensor
{
    public Tensor Neg()
    {
        var output = NewResult(Shape, "neg", this);
        output.Define(
            forward: () => TensorPrimitives.Negate(Data, output.Data),
            backward: () => TensorPrimitives.Subtract(GradSpan(), output._grad!, GradSpan()));   // grad −= out.grad
        return output;
    }

    public Tensor Exp()
    {
        var output = NewResult(Shape, "exp", this);
        output.Define(
            forward: () => TensorPrimitives.Exp(Data, output.Data),
            backward: () => TensorPrimitives.FusedMultiplyAdd(output._grad!, output.Data, GradSpan(), GradSpan()));  // grad += out.grad · eˣ
        return output;
    }

    public Tensor Log()
    {
        var output = NewResult(Shape, "log", this);
        float[]? scratch = null;
        output.Define(
            forward: () => TensorPrimitives.Log(Data, output.Data),
            backward: () =>
            {
                scratch ??= new float[Length];
                TensorPrimitives.Divide(output._grad!, Data, scratch);                            // grad += out.grad / x
                TensorPrimitives.Add(GradSpan(), scratch, GradSpan());
            });
        return output;
    }

    public Tensor Sqrt()
    {
        var output = NewResult(Shape, "sqrt", this);
        float[]? scratch = null;
        output.Define(
            forward: () => TensorPrimitives.Sqrt(Data, output.Data),
            backward: () =>
            {
                scratch ??= new float[Length];
                TensorPrimitives.Divide(output._grad!, output.Data, scratch);                     // grad += out.grad / (2√x)
                TensorPrimitives.MultiplyAdd(scratch, 0.5f, GradSpan(), GradSpan());
            });
        return output;
    }

    /// <summary>xᵖ elementwise.</summary>
    public Tensor Pow(float exponent)
    {
        var output = NewResult(Shape, "pow", this);
        output.Define(
            forward: () => ElementwiseKernels.Pow(Data, exponent, output.Data),
            backward: () =>
            {
                var grad = GradSpan();
                var outGrad = output._grad!;
                if (exponent == 0f) return;                                                       // d(x⁰)/dx = 0, also at x = 0 (PyTorch)
                for (var i = 0; i < Length; i++)
                    grad[i] += outGrad[i] * exponent * MathF.Pow(Data[i], exponent - 1f);         // grad += out.grad · p·xᵖ⁻¹
            });
        return output;
    }

    /// <summary>Limits values to [min, max]; the gradient passes where min ≤ x ≤ max (PyTorch's rule).</summary>
    public Tensor Clamp(float min = float.NegativeInfinity, float max = float.PositiveInfinity)
    {
        if (min > max) throw new ArgumentException($"Clamp: min {min} is greater than max {max}.");
        var output = NewResult(Shape, "clamp", this);
        output.Define(
            forward: () => ElementwiseKernels.Clamp(Data, min, max, output.Data),
            backward: () =>
            {
                var grad = GradSpan();
                var outGrad = output._grad!;
                for (var i = 0; i < Length; i++)
                    if (Data[i] >= min && Data[i] <= max) grad[i] += outGrad[i];
            });
        return output;
    }

    public Tensor Sigmoid()
    {
        var output = NewResult(Shape, "sigmoid", this);
        output.Define(
            forward: () => ElementwiseKernels.Sigmoid(Data, output.Data),
            backward: () => ElementwiseKernels.AccumulateSigmoidGrad(output.Data, output._grad!, GradSpan())); // grad += out.grad · s(1 − s)
        return output;
    }

    public Tensor Tanh()
    {
        var output = NewResult(Shape, "tanh", this);
        output.Define(
            forward: () => ElementwiseKernels.Tanh(Data, output.Data),
            backward: () => ElementwiseKernels.AccumulateTanhGrad(output.Data, output._grad!, GradSpan()));    // grad += out.grad · (1 − t²)
        return output;
    }

    /// <summary>max(x, 0). Trap: the derivative at exactly 0 is 0, as in PyTorch.</summary>
    public Tensor Relu()
    {
        var output = NewResult(Shape, "relu", this);
        output.Define(
            forward: () => TensorPrimitives.Max(Data, 0f, output.Data),
            backward: () => ElementwiseKernels.AccumulateReluGrad(Data, output._grad!, GradSpan()));         // grad += out.grad where x > 0
        return output;
    }

    /// <summary>x for x &gt; 0, slope·x otherwise (PyTorch's default slope 0.01).</summary>
    public Tensor LeakyRelu(float negativeSlope = 0.01f)
    {
        var output = NewResult(Shape, "leaky_relu", this);
        output.Define(
            forward: () => ElementwiseKernels.LeakyRelu(Data, negativeSlope, output.Data),
            backward: () => ElementwiseKernels.AccumulateLeakyReluGrad(Data, negativeSlope, output._grad!, GradSpan())); // grad += out.grad · (x > 0 ? 1 : slope)
        return output;
    }

    /// <summary>log(1 + eˣ) as PyTorch (beta 1, threshold 20): x itself above 20, else log1p(eˣ) (so 4.1e-8 at x = −17, not 0).</summary>
    public Tensor Softplus()
    {
        var output = NewResult(Shape, "softplus", this);
        output.Define(
            forward: () =>
            {
                for (var i = 0; i < Length; i++) output.Data[i] = ElementwiseKernels.Softplus(Data[i]);
            },
            backward: () =>
            {
                var grad = GradSpan();
                var outGrad = output._grad!;
                for (var i = 0; i < Length; i++)
                    grad[i] += outGrad[i] * ElementwiseKernels.SoftplusGrad(Data[i]);             // grad += out.grad · eˣ/(eˣ + 1)
            });
        return output;
    }

    // ----- comparisons: 0/1 masks, no gradient -----------------------------------------------

    public Tensor Gt(float value) => Mask(value, static (x, y) => x > y);
    public Tensor Ge(float value) => Mask(value, static (x, y) => x >= y);
    public Tensor Lt(float value) => Mask(value, static (x, y) => x < y);
    public Tensor Le(float value) => Mask(value, static (x, y) => x <= y);
    public Tensor Eq(float value) => Mask(value, static (x, y) => x == y);
    public Tensor Gt(Tensor other) => Mask(other, static (x, y) => x > y);
    public Tensor Ge(Tensor other) => Mask(other, static (x, y) => x >= y);
    public Tensor Lt(Tensor other) => Mask(other, static (x, y) => x < y);
    public Tensor Le(Tensor other) => Mask(other, static (x, y) => x <= y);
    public Tensor Eq(Tensor other) => Mask(other, static (x, y) => x == y);

    private Tensor Mask(float value, Func<float, float, bool> compare)
    {
        var output = new Tensor(new float[Length], (int[])Shape.Clone()) { Op = "compare" };
        for (var i = 0; i < Length; i++) output.Data[i] = compare(Data[i], value) ? 1f : 0f;
        return output;
    }

    private Tensor Mask(Tensor other, Func<float, float, bool> compare)
    {
        var b = Broadcast.Of("compare", this, other);
        var output = new Tensor(new float[Count(b.OutShape)], b.OutShape) { Op = "compare" };
        for (var r = 0; r < b.Rows; r++)
        {
            var xs = Broadcast.RowOf(Data, b.A, r, b.Cols);
            var ys = Broadcast.RowOf(other.Data, b.B, r, b.Cols);
            for (var c = 0; c < b.Cols; c++)
                output.Data[r * b.Cols + c] = compare(xs[xs.Length == 1 ? 0 : c], ys[ys.Length == 1 ? 0 : c]) ? 1f : 0f;
        }
        return output;
    }
}
