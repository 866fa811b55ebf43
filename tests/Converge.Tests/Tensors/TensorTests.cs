using Converge.Tensors;

namespace Converge.Tests.Tensors;

public class TensorTests
{
    [Fact]
    public void Add_broadcasts_a_row_vector_and_sums_its_gradient_over_rows()
    {
        var a = Tensor.Parameter([1, 2, 3, 4, 5, 6], 2, 3);
        var b = Tensor.Parameter([10, 20, 30], 3);
        var y = a.Add(b);
        Assert.Equal([11, 22, 33, 14, 25, 36], y.Data);
        y.Sum().Backward();
        Assert.Equal([1, 1, 1, 1, 1, 1], a.Grad!);
        Assert.Equal([2, 2, 2], b.Grad!);
    }

    [Fact]
    public void Shape_mismatch_names_both_shapes()
    {
        var ex = Assert.Throws<ArgumentException>(() => Tensor.Zeros(2, 3).Add(Tensor.Zeros(4)));
        Assert.Contains("[2, 3]", ex.Message, StringComparison.Ordinal);
        Assert.Contains("[4]", ex.Message, StringComparison.Ordinal);
    }
}
