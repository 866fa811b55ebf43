using System.Numerics.Tensors;
using Converge.Kernels;

namespace Converge.Tensors;

// Add, Sub, Mul, Div with broadcasting, and their scalar forms. Gradients of broadcast operands
// are summed over the broadcast dimensions (Broadcast.ReduceInto).
public sealed partial class Tensor
{
    /// <summary>Elementwise sum, broadcasting as PyTorch.</summary>
    public Tensor Add(Tensor other)
    {
        var b = Broadcast.Of("Add", this, other);
        var output = NewResult(b.OutShape, "add", this, other);
        var bias = b.A == Layout.Full && b.B == Layout.Row;   // x + b of a Linear layer: the hot case
        output.Define(
            forward: () =>
            {
                if (bias) ElementwiseKernels.AddRowBroadcast(Data, other.Data, output.Data, b.Rows, b.Cols);
                else Binary(b, Data, other.Data, output.Data, TensorPrimitives.Add, TensorPrimitives.Add, static (x, y, d) => TensorPrimitives.Add(y, x, d));
            },
            backward: () =>
            {
                if (RequiresGrad) b.ReduceInto(output._grad!, GradSpan(), b.A);          // d(a+b)/da = 1
                if (other.RequiresGrad) b.ReduceInto(output._grad!, other.GradSpan(), b.B); // d(a+b)/db = 1
            });
        return output;
    }

    /// <summary>Elementwise difference, broadcasting as PyTorch.</summary>
    public Tensor Sub(Tensor other)
    {
        var b = Broadcast.Of("Sub", this, other);
        var output = NewResult(b.OutShape, "sub", this, other);
        output.Define(
            forward: () => Binary(b, Data, other.Data, output.Data, TensorPrimitives.Subtract, TensorPrimitives.Subtract, TensorPrimitives.Subtract),
            backward: () =>
            {
                if (RequiresGrad) b.ReduceInto(output._grad!, GradSpan(), b.A);                   // d(a−b)/da = 1
                if (other.RequiresGrad) b.ReduceInto(output._grad!, other.GradSpan(), b.B, -1f);  // d(a−b)/db = −1
            });
        return output;
    }

    /// <summary>Elementwise product, broadcasting as PyTorch.</summary>
    public Tensor Mul(Tensor other)
    {
        var b = Broadcast.Of("Mul", this, other);
        var output = NewResult(b.OutShape, "mul", this, other);
        float[]? scratch = null;
        output.Define(
            forward: () => Binary(b, Data, other.Data, output.Data, TensorPrimitives.Multiply, TensorPrimitives.Multiply, static (x, y, d) => TensorPrimitives.Multiply(y, x, d)),
            backward: () =>
            {
                scratch ??= new float[output.Length];
                if (RequiresGrad)
                {   // d(a·b)/da = b
                    Binary(b with { A = Layout.Full }, output._grad!, other.Data, scratch, TensorPrimitives.Multiply, TensorPrimitives.Multiply, static (x, y, d) => TensorPrimitives.Multiply(y, x, d));
                    b.ReduceInto(scratch, GradSpan(), b.A);
                }
                if (other.RequiresGrad)
                {   // d(a·b)/db = a
                    Binary(b with { B = Layout.Full }, Data, output._grad!, scratch, TensorPrimitives.Multiply, TensorPrimitives.Multiply, static (x, y, d) => TensorPrimitives.Multiply(y, x, d));
                    b.ReduceInto(scratch, other.GradSpan(), b.B);
                }
            });
        return output;
    }

    /// <summary>Elementwise quotient, broadcasting as PyTorch.</summary>
    public Tensor Div(Tensor other)
    {
        var b = Broadcast.Of("Div", this, other);
        var output = NewResult(b.OutShape, "div", this, other);
        float[]? scratch = null;
        output.Define(
            forward: () => Binary(b, Data, other.Data, output.Data, TensorPrimitives.Divide, TensorPrimitives.Divide, TensorPrimitives.Divide),
            backward: () =>
            {
                scratch ??= new float[output.Length];
                if (RequiresGrad)
                {   // d(a/b)/da = 1/b
                    Binary(b with { A = Layout.Full }, output._grad!, other.Data, scratch, TensorPrimitives.Divide, TensorPrimitives.Divide, TensorPrimitives.Divide);
                    b.ReduceInto(scratch, GradSpan(), b.A);
                }
                if (other.RequiresGrad)
                {   // d(a/b)/db = −a/b² = −out/b
                    Binary(b with { A = Layout.Full }, output.Data, other.Data, scratch, TensorPrimitives.Divide, TensorPrimitives.Divide, TensorPrimitives.Divide);
                    TensorPrimitives.Multiply(scratch, output._grad!, scratch);
                    b.ReduceInto(scratch, other.GradSpan(), b.B, -1f);
                }
            });
        return output;
    }

    /// <summary>Adds a scalar to every element.</summary>
    public Tensor Add(float value) => Add(Scalar(value));
    /// <summary>Subtracts a scalar from every element.</summary>
    public Tensor Sub(float value) => Sub(Scalar(value));
    /// <summary>Multiplies every element by a scalar.</summary>
    public Tensor Mul(float value) => Mul(Scalar(value));
    /// <summary>Divides every element by a scalar.</summary>
    public Tensor Div(float value) => Div(Scalar(value));

    /// <summary>Adds a vector to every row: the bias of a Linear layer. Null adds nothing.</summary>
    public Tensor AddRow(Tensor? row) => row is null ? this : Add(row);

    /// <summary><see cref="Add(Tensor)"/>.</summary>
    public static Tensor operator +(Tensor a, Tensor b) => a.Add(b);
    /// <summary><see cref="Sub(Tensor)"/>.</summary>
    public static Tensor operator -(Tensor a, Tensor b) => a.Sub(b);
    /// <summary><see cref="Mul(Tensor)"/>.</summary>
    public static Tensor operator *(Tensor a, Tensor b) => a.Mul(b);
    /// <summary><see cref="Div(Tensor)"/>.</summary>
    public static Tensor operator /(Tensor a, Tensor b) => a.Div(b);
    /// <summary><see cref="Add(float)"/>.</summary>
    public static Tensor operator +(Tensor a, float b) => a.Add(b);
    /// <summary><see cref="Sub(float)"/>.</summary>
    public static Tensor operator -(Tensor a, float b) => a.Sub(b);
    /// <summary><see cref="Mul(float)"/>.</summary>
    public static Tensor operator *(Tensor a, float b) => a.Mul(b);
    /// <summary><see cref="Div(float)"/>.</summary>
    public static Tensor operator /(Tensor a, float b) => a.Div(b);
    /// <summary>The scalar plus every element.</summary>
    public static Tensor operator +(float a, Tensor b) => Scalar(a).Add(b);
    /// <summary>The scalar minus every element.</summary>
    public static Tensor operator -(float a, Tensor b) => Scalar(a).Sub(b);
    /// <summary>The scalar times every element.</summary>
    public static Tensor operator *(float a, Tensor b) => Scalar(a).Mul(b);
    /// <summary>The scalar divided by every element.</summary>
    public static Tensor operator /(float a, Tensor b) => Scalar(a).Div(b);
    /// <summary><see cref="Neg"/>.</summary>
    public static Tensor operator -(Tensor a) => a.Neg();

    private delegate void SpanSpan(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination);
    private delegate void SpanScalar(ReadOnlySpan<float> x, float y, Span<float> destination);
    private delegate void ScalarSpan(float x, ReadOnlySpan<float> y, Span<float> destination);

    /// <summary>Applies a binary op row by row, choosing the span/scalar overload each operand allows.</summary>
    private static void Binary(Broadcast b, float[] x, float[] y, float[] destination, SpanSpan both, SpanScalar right, ScalarSpan left)
    {
        if (b.A == Layout.Full && b.B == Layout.Full)
        {
            both(x, y, destination);
            return;
        }
        if (b.A == Layout.Full && b.B == Layout.Scalar)
        {
            right(x, y[0], destination);
            return;
        }
        if (b.A == Layout.Scalar && b.B == Layout.Full)
        {
            left(x[0], y, destination);
            return;
        }
        for (var r = 0; r < b.Rows; r++)
        {
            var xs = Broadcast.RowOf(x, b.A, r, b.Cols);
            var ys = Broadcast.RowOf(y, b.B, r, b.Cols);
            var d = destination.AsSpan(r * b.Cols, b.Cols);
            var xScalar = Broadcast.IsScalarPerRow(b.A) && b.Cols != 1;
            var yScalar = Broadcast.IsScalarPerRow(b.B) && b.Cols != 1;
            if (xScalar && yScalar)
            {
                Span<float> one = [0f];
                both(xs, ys, one);
                d.Fill(one[0]);
            }
            else if (xScalar) left(xs[0], ys, d);
            else if (yScalar) right(xs, ys[0], d);
            else both(xs, ys, d);
        }
    }
}
