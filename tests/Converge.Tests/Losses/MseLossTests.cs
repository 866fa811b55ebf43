using Converge.Losses;
using Converge.Tensors;
using Converge.Tests.Tensors;

namespace Converge.Tests.Losses;

/// <summary>MseLoss: (x − y)² per element, each reduction, gradients by finite differences.</summary>
public class MseLossTests
{
    [Theory]
    [InlineData(Reduction.Mean)]
    [InlineData(Reduction.Sum)]
    [InlineData(Reduction.None)]
    public void Value_matches_the_formula_and_gradient_passes_gradcheck(Reduction reduction)
    {
        var x = GradCheck.Parameter(111, [5, 2]);
        var y = GradCheck.Parameter(112, [5, 2]).Detach();
        var loss = new MseLoss(reduction);
        var output = loss.Forward(x, y);
        var squares = x.Data.Zip(y.Data, static (a, b) => ((double)a - b) * ((double)a - b)).ToArray();
        switch (reduction)
        {
            case Reduction.None:
                Assert.Equal(x.Shape, output.Shape);
                ReferenceVectors.Close(squares, output.Data, 1e-6, 0, "none");
                break;
            case Reduction.Sum:
                ReferenceVectors.Close(squares.Sum(), output.Item(), 1e-6, 0, "sum");
                break;
            default:
                ReferenceVectors.Close(squares.Average(), output.Item(), 1e-6, 0, "mean");
                break;
        }
        GradCheck.Check(() => loss.Forward(x, y), x);
    }

    [Fact]
    public void Shape_mismatch_names_both_shapes()
    {
        var error = Assert.Throws<ArgumentException>(() => new MseLoss().Forward(Tensor.Zeros(3, 2), Tensor.Zeros(2, 3)));
        Assert.Contains("[3, 2]", error.Message, StringComparison.Ordinal);
        Assert.Contains("[2, 3]", error.Message, StringComparison.Ordinal);
    }
}
