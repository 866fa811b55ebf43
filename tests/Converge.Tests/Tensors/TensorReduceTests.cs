using Converge.Tensors;

namespace Converge.Tests.Tensors;

/// <summary>Sum and Mean over everything and along each axis, with and without keepDim.</summary>
public class TensorReduceTests
{
    [Theory]
    [InlineData(new[] { 3, 4 })]
    [InlineData(new[] { 5 })]
    [InlineData(new int[0])]
    public void Sum_and_Mean_of_everything_match_double_sums_and_pass_gradcheck(int[] shape)
    {
        var x = GradCheck.Parameter(11, shape);
        var total = x.Data.Sum(static v => (double)v);
        var sum = x.Sum();
        var mean = x.Mean();
        Assert.Empty(sum.Shape);
        Assert.Empty(mean.Shape);
        ReferenceVectors.Close(total, sum.Item(), 1e-6, 1e-7, "sum");
        ReferenceVectors.Close(total / x.Length, mean.Item(), 1e-6, 1e-7, "mean");
        GradCheck.Check(() => x.Sum(), x);
        GradCheck.Check(() => x.Mean(), x);
    }

    [Theory]
    [InlineData(0, false, true)]
    [InlineData(0, true, true)]
    [InlineData(1, false, true)]
    [InlineData(1, true, true)]
    [InlineData(0, false, false)]
    [InlineData(0, true, false)]
    [InlineData(1, false, false)]
    [InlineData(1, true, false)]
    public void Axis_reduction_has_the_right_shape_and_values_and_passes_gradcheck(int axis, bool keepDim, bool mean)
    {
        var (rows, cols) = (3, 4);
        var x = GradCheck.Parameter(12, [rows, cols]);
        Func<Tensor> f = mean ? () => x.Mean(axis, keepDim) : () => x.Sum(axis, keepDim);
        var output = f();
        int[] expectedShape = (axis, keepDim) switch { (0, true) => [1, cols], (0, false) => [cols], (1, true) => [rows, 1], _ => [rows] };
        Assert.Equal(expectedShape, output.Shape);
        var expected = axis == 0
            ? Enumerable.Range(0, cols).Select(c => Enumerable.Range(0, rows).Sum(r => (double)x.At(r, c)) / (mean ? rows : 1))
            : Enumerable.Range(0, rows).Select(r => Enumerable.Range(0, cols).Sum(c => (double)x.At(r, c)) / (mean ? cols : 1));
        ReferenceVectors.Close([.. expected], output.Data, 1e-6, 1e-7, $"axis {axis}");
        GradCheck.Check(f, x);
    }

    [Fact]
    public void Axis_reduction_rejects_vectors_and_bad_axes()
    {
        var vectorError = Assert.Throws<ArgumentException>(() => Tensor.Zeros(4).Sum(0));
        Assert.Contains("[4]", vectorError.Message, StringComparison.Ordinal);
        var axisError = Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Zeros(2, 2).Mean(2));
        Assert.Contains("2", axisError.Message, StringComparison.Ordinal);
    }
}
