using System.Numerics.Tensors;
using Converge.Kernels;

namespace Converge.Tensors;

// Sums and means, over everything or along one axis of a matrix.
public sealed partial class Tensor
{
    /// <summary>Sum of all elements, as a scalar. Accumulates in double so long sums do not drift.</summary>
    public Tensor Sum()
    {
        var output = NewResult([], "sum", this);
        output.Define(
            forward: () => output.Data[0] = (float)ElementwiseKernels.SumDouble(Data),
            backward: () => TensorPrimitives.Add(GradSpan(), output._grad![0], GradSpan()));     // grad += out.grad
        return output;
    }

    /// <summary>Mean of all elements, as a scalar.</summary>
    public Tensor Mean()
    {
        var output = NewResult([], "mean", this);
        var n = Length;
        output.Define(
            forward: () => output.Data[0] = (float)(ElementwiseKernels.SumDouble(Data) / n),
            backward: () => TensorPrimitives.Add(GradSpan(), output._grad![0] / n, GradSpan())); // grad += out.grad / n
        return output;
    }

    /// <summary>
    /// Sum along <paramref name="axis"/> of a matrix: axis 0 sums down the rows (one value per column),
    /// axis 1 across the columns (one per row). <paramref name="keepDim"/> keeps a dimension of 1.
    /// </summary>
    public Tensor Sum(int axis, bool keepDim = false) => ReduceAxis(axis, keepDim, mean: false);

    /// <summary>Mean along <paramref name="axis"/> of a matrix; see <see cref="Sum(int, bool)"/>.</summary>
    public Tensor Mean(int axis, bool keepDim = false) => ReduceAxis(axis, keepDim, mean: true);

    private Tensor ReduceAxis(int axis, bool keepDim, bool mean)
    {
        if (Rank != 2) throw new ArgumentException($"Sum/Mean along an axis needs a matrix, got shape {ShapeToString(Shape)}.");
        if (axis is not (0 or 1)) throw new ArgumentOutOfRangeException(nameof(axis), $"Axis must be 0 or 1, got {axis}.");
        var (rows, cols) = (Rows, Cols);
        int[] shape = (axis, keepDim) switch
        {
            (0, true) => [1, cols],
            (0, false) => [cols],
            (1, true) => [rows, 1],
            _ => [rows],
        };
        var scale = mean ? 1f / (axis == 0 ? rows : cols) : 1f;
        var output = NewResult(shape, mean ? "mean_axis" : "sum_axis", this);
        output.Define(
            forward: () =>
            {
                if (axis == 0)
                {
                    Array.Clear(output.Data);
                    for (var r = 0; r < rows; r++) TensorPrimitives.Add(output.Data, Data.AsSpan(r * cols, cols), output.Data);
                    if (mean) TensorPrimitives.Multiply(output.Data, scale, output.Data);
                }
                else
                {
                    for (var r = 0; r < rows; r++) output.Data[r] = TensorPrimitives.Sum(Data.AsSpan(r * cols, cols)) * scale;
                }
            },
            backward: () =>
            {
                var grad = GradSpan();
                var outGrad = output._grad!;
                for (var r = 0; r < rows; r++)
                {
                    var row = grad.Slice(r * cols, cols);
                    if (axis == 0) TensorPrimitives.MultiplyAdd(outGrad, scale, row, row);     // every row gets out.grad·scale
                    else TensorPrimitives.Add(row, outGrad[r] * scale, row);                    // the whole row gets out.grad[r]·scale
                }
            });
        return output;
    }
}
