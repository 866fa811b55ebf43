using Converge.Kernels;

namespace Converge.Tests.Kernels;

/// <summary>The vectorized elementwise kernels against scalar formulas in double (or the same float formula, exactly).</summary>
public class ElementwiseKernelsTests
{
    private static float[] Values(int n, int seed, double scale = 8)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => (float)((random.NextDouble() - 0.5) * scale)).ToArray();
    }

    [Fact]
    public void Sigmoid_is_within_4_ulp_of_the_double_formula_and_saturates_cleanly()
    {
        float[] edges = [0f, -0f, 1e-8f, -1e-8f, 20f, -20f, 87f, -87f, 88.5f, -88.5f, 100f, -100f, float.MaxValue, float.MinValue,
            float.PositiveInfinity, float.NegativeInfinity, 15.9f, -15.9f, 0.5f, -0.5f];
        var x = edges.Concat(Values(1003, 1, 60)).ToArray();
        var y = new float[x.Length];
        ElementwiseKernels.Sigmoid(x, y);
        for (var i = 0; i < x.Length; i++)
        {
            var expected = 1.0 / (1.0 + Math.Exp(-(double)x[i]));
            // 4 ulp relative, or absolute 1e-37 where σ underflows (PyTorch returns tiny subnormals or 0 there).
            var tolerance = Math.Max(4 * 5.96e-8 * expected, 1e-37);
            Assert.True(Math.Abs(y[i] - expected) <= tolerance, $"σ({x[i]}) = {y[i]}, expected {expected}");
            Assert.InRange(y[i], 0f, 1f);
        }
        var nan = new float[9];
        nan[3] = float.NaN;
        ElementwiseKernels.Sigmoid(nan, nan);
        Assert.True(float.IsNaN(nan[3]));
        Assert.Equal(0.5f, nan[0]);
    }

    [Theory]
    [InlineData(1800, 1)]
    [InlineData(1800, 4)]
    [InlineData(500, 2)]
    [InlineData(7, 8)]
    [InlineData(5, 3)]
    [InlineData(3, 16)]
    [InlineData(9, 33)]
    [InlineData(1, 4)]
    public void Row_broadcast_add_and_column_sums_match_plain_loops(int rows, int cols)
    {
        var x = Values(rows * cols, rows + cols);
        var row = Values(cols, 7);
        var sum = new float[rows * cols];
        ElementwiseKernels.AddRowBroadcast(x, row, sum, rows, cols);
        for (var i = 0; i < x.Length; i++) Assert.Equal(x[i] + row[i % cols], sum[i]);   // one rounding: exact

        foreach (var sign in new[] { 1f, -1f })
        {
            var target = Values(cols, 9);
            var expected = target.Select(v => (double)v).ToArray();
            var magnitude = new double[cols];
            for (var i = 0; i < x.Length; i++)
            {
                expected[i % cols] += sign * (double)x[i];
                magnitude[i % cols] += Math.Abs(x[i]);
            }
            ElementwiseKernels.AccumulateColumnSums(x, target, rows, cols, sign);
            for (var c = 0; c < cols; c++)
                Assert.True(Math.Abs(target[c] - expected[c]) <= (1e-6 * magnitude[c]) + 1e-6, $"column {c}: {target[c]} vs {expected[c]}");
        }
    }

    [Theory]
    [InlineData(7203)]
    [InlineData(5)]
    public void Sigmoid_and_relu_backward_equal_the_scalar_formula_exactly(int n)
    {
        var s = Values(n, 3, 1).Select(v => v + 0.5f).ToArray();
        var x = Values(n, 4);
        x[0] = 0f;   // the derivative of ReLU at exactly 0 is 0
        var outGrad = Values(n, 5);
        var grad = Values(n, 6);
        var sigmoidGrad = (float[])grad.Clone();
        var reluGrad = (float[])grad.Clone();
        ElementwiseKernels.AccumulateSigmoidGrad(s, outGrad, sigmoidGrad);
        ElementwiseKernels.AccumulateReluGrad(x, outGrad, reluGrad);
        for (var i = 0; i < n; i++)
        {
            Assert.Equal(grad[i] + (outGrad[i] * (1f - s[i]) * s[i]), sigmoidGrad[i]);
            Assert.Equal(x[i] > 0f ? grad[i] + outGrad[i] : grad[i], reluGrad[i]);
        }
    }
}
