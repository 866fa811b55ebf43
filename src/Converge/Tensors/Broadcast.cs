using Converge.Kernels;

namespace Converge.Tensors;

/// <summary>How one operand of a binary op maps onto the output.</summary>
internal enum Layout { Full, Row, Column, Scalar }

/// <summary>
/// How a binary op's operands line up, following NumPy's right-aligned rules for rank ≤ 2:
/// each operand is a full matrix, a row vector repeated down the rows, a column vector repeated
/// across the columns, or a scalar.
/// </summary>
internal readonly record struct Broadcast(int Rows, int Cols, int[] OutShape, Layout A, Layout B)
{
    public static Broadcast Of(string op, Tensor a, Tensor b)
    {
        var rank = Math.Max(a.Rank, b.Rank);
        var (ar, ac) = (a.Rank == 2 ? a.Shape[0] : 1, a.Rank >= 1 ? a.Shape[^1] : 1);
        var (br, bc) = (b.Rank == 2 ? b.Shape[0] : 1, b.Rank >= 1 ? b.Shape[^1] : 1);
        var rows = Combine(ar, br);
        var cols = Combine(ac, bc);
        if (rows < 0 || cols < 0) Tensor.ThrowShapeMismatch(op, a.Shape, b.Shape);
        int[] shape = rank switch { 2 => [rows, cols], 1 => [cols], _ => [] };
        return new Broadcast(rows, cols, shape, LayoutOf(ar, ac, rows, cols), LayoutOf(br, bc, rows, cols));
    }

    private static int Combine(int x, int y) => x == y ? x : x == 1 ? y : y == 1 ? x : -1;

    private static Layout LayoutOf(int r, int c, int rows, int cols) =>
        (r == rows || rows == 1, c == cols || cols == 1) switch
        {
            _ when r == rows && c == cols => Layout.Full,
            _ when r == 1 && c == cols => Layout.Row,
            _ when r == rows && c == 1 => Layout.Column,
            _ => Layout.Scalar,
        };

    /// <summary>The slice of an operand that lines up with output row <paramref name="row"/>.</summary>
    public static ReadOnlySpan<float> RowOf(float[] data, Layout layout, int row, int cols) => layout switch
    {
        Layout.Full => data.AsSpan(row * cols, cols),
        Layout.Row => data,
        Layout.Column => data.AsSpan(row, 1),
        _ => data.AsSpan(0, 1),
    };

    /// <summary>True when the operand supplies one value per output row (column vector or scalar).</summary>
    public static bool IsScalarPerRow(Layout layout) => layout is Layout.Column or Layout.Scalar;

    /// <summary>
    /// Adds <paramref name="full"/> (shaped like the output) into <paramref name="target"/>, summing over
    /// the dimensions along which the target was broadcast: the gradient of a broadcast is a sum.
    /// </summary>
    public void ReduceInto(ReadOnlySpan<float> full, Span<float> target, Layout layout, float sign = 1f)
    {
        switch (layout)
        {
            case Layout.Full:
                if (sign == 1f) System.Numerics.Tensors.TensorPrimitives.Add(target, full, target);
                else System.Numerics.Tensors.TensorPrimitives.Subtract(target, full, target);
                break;
            case Layout.Row:
                ElementwiseKernels.AccumulateColumnSums(full, target, Rows, Cols, sign);
                break;
            case Layout.Column:
                for (var r = 0; r < Rows; r++)
                    target[r] += sign * System.Numerics.Tensors.TensorPrimitives.Sum(full.Slice(r * Cols, Cols));
                break;
            default:
                target[0] += sign * System.Numerics.Tensors.TensorPrimitives.Sum(full);
                break;
        }
    }
}
