using Converge.Tensors;

namespace Converge.Tests.Tensors;

/// <summary>MatMul and MatMulTransposed: values against a naive double product, gradients of both operands.</summary>
public class TensorMatMulTests
{
    [Theory]
    [InlineData(3, 4, 5)]
    [InlineData(1, 1, 1)]
    [InlineData(4, 1, 3)]
    [InlineData(2, 7, 1)]
    public void MatMul_matches_a_naive_product_and_passes_gradcheck_for_both_operands(int m, int k, int n)
    {
        var a = GradCheck.Parameter(21, [m, k]);
        var b = GradCheck.Parameter(22, [k, n]);
        var c = a.MatMul(b);
        Assert.Equal([m, n], c.Shape);
        ReferenceVectors.Close(Naive(a, b, m, k, n, transposeB: false), c.Data, 1e-6, 1e-5, "A·B");
        GradCheck.Check(() => a.MatMul(b), a, b);
    }

    [Theory]
    [InlineData(3, 4, 5)]
    [InlineData(1, 1, 1)]
    [InlineData(4, 1, 3)]
    [InlineData(2, 7, 1)]
    public void MatMulTransposed_matches_a_naive_product_and_passes_gradcheck_for_both_operands(int m, int k, int n)
    {
        var a = GradCheck.Parameter(23, [m, k]);
        var b = GradCheck.Parameter(24, [n, k]);
        var c = a.MatMulTransposed(b);
        Assert.Equal([m, n], c.Shape);
        ReferenceVectors.Close(Naive(a, b, m, k, n, transposeB: true), c.Data, 1e-6, 1e-5, "A·Bᵀ");
        GradCheck.Check(() => a.MatMulTransposed(b), a, b);
    }

    [Fact]
    public void Shape_mismatch_names_both_shapes()
    {
        var mm = Assert.Throws<ArgumentException>(() => Tensor.Zeros(2, 3).MatMul(Tensor.Zeros(2, 3)));
        Assert.Contains("MatMul", mm.Message, StringComparison.Ordinal);
        Assert.Contains("[2, 3]", mm.Message, StringComparison.Ordinal);
        var mt = Assert.Throws<ArgumentException>(() => Tensor.Zeros(2, 3).MatMulTransposed(Tensor.Zeros(3, 2)));
        Assert.Contains("[2, 3]", mt.Message, StringComparison.Ordinal);
        Assert.Contains("[3, 2]", mt.Message, StringComparison.Ordinal);
        var vector = Assert.Throws<ArgumentException>(() => Tensor.Zeros(3).MatMul(Tensor.Zeros(3, 2)));
        Assert.Contains("[3]", vector.Message, StringComparison.Ordinal);
    }

    private static double[] Naive(Tensor a, Tensor b, int m, int k, int n, bool transposeB)
    {
        var c = new double[m * n];
        for (var i = 0; i < m; i++)
            for (var j = 0; j < n; j++)
                for (var p = 0; p < k; p++)
                    c[i * n + j] += (double)a.Data[i * k + p] * (transposeB ? b.Data[j * k + p] : b.Data[p * n + j]);
        return c;
    }
}
