using System.Text.Json;
using Converge.Losses;
using Converge.Tensors;
using Converge.Tests.Tensors;

namespace Converge.Tests.Losses;

/// <summary>
/// BceWithLogitsLoss against vectors.json → losses (PyTorch 1.13, float64) and finite differences.
/// </summary>
/// <remarks>
/// Tolerance: relative 1e-6 plus absolute 1e-44. The logits are exact in float32 and each element
/// is computed in double, so only the final cast to float32 (6e-8 relative) separates us from
/// PyTorch; the absolute part covers the gradient 5.3e-45 at logit −100, a float32 subnormal.
/// </remarks>
public class BceWithLogitsLossTests
{
    private const double Relative = 1e-6;
    private const double Absolute = 1e-44;

    private static readonly JsonElement Vectors = ReferenceVectors.Load("losses");

    [Theory]
    [InlineData("bce_with_logits")]
    [InlineData("bce_with_logits_pos_weight_3")]
    [InlineData("bce_with_logits_weight")]
    public void Per_element_mean_sum_and_gradient_match_PyTorch(string block)
    {
        var expected = Vectors.GetProperty(block);
        var logits = ReferenceVectors.Floats(Vectors, "logits");
        var targets = new Tensor(ReferenceVectors.Floats(Vectors, "targets"), logits.Length);
        var weight = expected.TryGetProperty("weight", out var w) ? new Tensor(ReferenceVectors.Floats(w), logits.Length) : null;
        var posWeight = expected.TryGetProperty("pos_weight", out var pw) ? new Tensor([(float)pw.GetDouble()], 1) : null;
        Tensor Loss(Reduction reduction, Tensor input) => new BceWithLogitsLoss(weight, posWeight, reduction).Forward(input, targets);

        ReferenceVectors.Close(ReferenceVectors.Doubles(expected, "per_element"), Loss(Reduction.None, new Tensor(logits, logits.Length)).Data, Relative, Absolute, "per_element");
        ReferenceVectors.Close(expected.GetProperty("sum").GetDouble(), Loss(Reduction.Sum, new Tensor(logits, logits.Length)).Item(), Relative, Absolute, "sum");
        var x = Tensor.Parameter((float[])logits.Clone(), logits.Length);
        var mean = Loss(Reduction.Mean, x);
        ReferenceVectors.Close(expected.GetProperty("mean").GetDouble(), mean.Item(), Relative, Absolute, "mean");
        mean.Backward();
        ReferenceVectors.Close(ReferenceVectors.Doubles(expected, "grad_logits_of_mean"), x.Grad!, Relative, Absolute, "grad");
    }

    [Theory]
    [InlineData(Reduction.Mean, false, false)]
    [InlineData(Reduction.Sum, false, false)]
    [InlineData(Reduction.None, false, false)]
    [InlineData(Reduction.Mean, true, false)]
    [InlineData(Reduction.Mean, false, true)]
    [InlineData(Reduction.Sum, true, true)]
    [InlineData(Reduction.None, true, true)]
    public void Gradient_passes_gradcheck(Reduction reduction, bool weighted, bool posWeighted)
    {
        var x = GradCheck.Parameter(101, [4, 3], -4, 4);
        var y = new Tensor([.. GradCheck.Parameter(102, [12], 0, 1).Data], 4, 3);   // fractional targets interpolate
        var weight = weighted ? GradCheck.Parameter(103, [4, 3], 0.2, 2).Detach() : null;
        var posWeight = posWeighted ? new Tensor([0.5f, 2f, 3f], 3) : null;
        var loss = new BceWithLogitsLoss(weight, posWeight, reduction);
        GradCheck.Check(() => loss.Forward(x, y), x);
    }

    [Fact]
    public void PosWeight_multiplies_only_the_positive_term_per_column()
    {
        var x = new Tensor([0.3f, -1.2f, 0.3f, -1.2f], 2, 2);
        var y = new Tensor([1f, 1f, 0f, 0f], 2, 2);
        var perElement = new BceWithLogitsLoss(posWeight: new Tensor([2f, 5f], 2), reduction: Reduction.None).Forward(x, y);
        static double LogSigmoid(double v) => -Math.Log(1 + Math.Exp(-v));
        double[] expected = [-2 * LogSigmoid(0.3f), -5 * LogSigmoid(-1.2f), -LogSigmoid(-0.3f), -LogSigmoid(1.2f)];
        ReferenceVectors.Close(expected, perElement.Data, Relative, 0, "pos_weight");
    }

    [Theory]
    [InlineData(new[] { 2 })]
    [InlineData(new[] { 1, 2 })]
    [InlineData(new[] { 3, 1 })]
    [InlineData(new[] { 3, 2 })]
    [InlineData(new int[0])]
    [InlineData(new[] { 1 })]
    public void Weight_broadcasts_to_the_input_like_PyTorch(int[] weightShape)
    {
        var x = GradCheck.Parameter(104, [3, 2], -3, 3).Detach();
        var y = new Tensor([1f, 0f, 0f, 1f, 1f, 1f], 3, 2);
        var weight = GradCheck.Parameter(105, weightShape, 0.5, 2).Detach();
        var plain = new BceWithLogitsLoss(reduction: Reduction.None).Forward(x, y).Data;
        var weighted = new BceWithLogitsLoss(weight, reduction: Reduction.None).Forward(x, y).Data;
        var (rows, cols) = weight.Rank == 2 ? (weight.Shape[0], weight.Shape[1]) : (1, weight.Rank == 1 ? weight.Shape[0] : 1);
        for (var r = 0; r < 3; r++)
            for (var c = 0; c < 2; c++)
            {
                var w = weight.Data[(rows == 1 ? 0 : r) * cols + (cols == 1 ? 0 : c)];
                Assert.Equal((double)w * plain[r * 2 + c], weighted[r * 2 + c], 1e-6);
            }
    }

    [Theory]
    [InlineData(new[] { 3 })]
    [InlineData(new[] { 2, 2 })]
    [InlineData(new[] { 6 })]
    public void Weight_that_does_not_broadcast_to_the_input_is_rejected(int[] weightShape)
    {
        var error = Assert.Throws<ArgumentException>(() => new BceWithLogitsLoss(Tensor.Ones(weightShape)).Forward(Tensor.Zeros(3, 2), Tensor.Zeros(3, 2)));
        Assert.Contains(Tensor.ShapeToString(weightShape), error.Message, StringComparison.Ordinal);
        Assert.Contains("[3, 2]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Mismatched_shapes_and_pos_weight_length_are_rejected()
    {
        var shape = Assert.Throws<ArgumentException>(() => new BceWithLogitsLoss().Forward(Tensor.Zeros(4, 1), Tensor.Zeros(4)));
        Assert.Contains("[4, 1]", shape.Message, StringComparison.Ordinal);
        Assert.Contains("[4]", shape.Message, StringComparison.Ordinal);
        var pos = Assert.Throws<ArgumentException>(() => new BceWithLogitsLoss(posWeight: Tensor.Ones(2)).Forward(Tensor.Zeros(4, 3), Tensor.Zeros(4, 3)));
        Assert.Contains("2", pos.Message, StringComparison.Ordinal);
    }
}
