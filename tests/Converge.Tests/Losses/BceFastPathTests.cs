using Converge.Losses;
using Converge.Tensors;

namespace Converge.Tests.Losses;

/// <summary>
/// The vectorized BCE paths (no weight, Mean/Sum) against the per-element double path, which a
/// scalar weight of 1 selects: same values and gradients to float32 rounding, the clamp cases
/// (p = 0, p = 1, tiny p, logits ±100) included, and NaN still reaching the loss. Like PyTorch, the
/// fast path forms σ(x) − y in float, so that gradient is exact only to ulp(1) ≈ 1.2e-7 (times the
/// reduction's scale) where σ(x) is near y; the per-element path subtracts in double.
/// </summary>
public class BceFastPathTests
{
    private const double Relative = 2e-6;

    private static (float[] Input, float[] Target) Data(int n, bool logits)
    {
        var random = new Random(n);
        var input = new float[n];
        var target = new float[n];
        for (var i = 0; i < n; i++)
        {
            input[i] = logits ? (float)((random.NextDouble() - 0.5) * 30) : (float)random.NextDouble();
            target[i] = random.NextDouble() < 0.5 ? 0f : 1f;
        }
        float[] edges = logits ? [100f, -100f, 0f, 20f, -20f, 1e-7f] : [0f, 1f, 1e-30f, 1f - 6e-8f, 0.5f, 1e-12f];
        for (var i = 0; i < Math.Min(edges.Length, n); i++) input[i] = edges[i];
        return (input, target);
    }

    private static (float Loss, float[] Grad) Run(ElementwiseLoss loss, float[] input, float[] target)
    {
        var x = Tensor.Parameter((float[])input.Clone(), input.Length, 1);
        var output = loss.Forward(x, new Tensor(target, target.Length, 1));
        output.Backward();
        return (output.Item(), x.Grad!);
    }

    [Theory]
    [InlineData(1800, false, Reduction.Mean)]
    [InlineData(1800, true, Reduction.Mean)]
    [InlineData(259, false, Reduction.Sum)]
    [InlineData(259, true, Reduction.Sum)]
    [InlineData(5, false, Reduction.Mean)]
    [InlineData(5, true, Reduction.Sum)]
    public void Fast_path_matches_the_per_element_path(int n, bool logits, Reduction reduction)
    {
        var (input, target) = Data(n, logits);
        ElementwiseLoss fast = logits ? new BceWithLogitsLoss(reduction: reduction) : new BceLoss(reduction: reduction);
        ElementwiseLoss slow = logits ? new BceWithLogitsLoss(Tensor.Scalar(1f), reduction: reduction) : new BceLoss(Tensor.Scalar(1f), reduction);
        var (fastLoss, fastGrad) = Run(fast, input, target);
        var (slowLoss, slowGrad) = Run(slow, input, target);
        Assert.True(Math.Abs(fastLoss - slowLoss) <= (Relative * Math.Abs(slowLoss)) + 1e-7, $"loss {fastLoss} vs {slowLoss}");
        var cancellation = logits ? 1.2e-7 * (reduction == Reduction.Mean ? 1.0 / n : 1.0) : 0;
        for (var i = 0; i < n; i++)
            Assert.True(Math.Abs(fastGrad[i] - slowGrad[i]) <= (Relative * Math.Abs(slowGrad[i])) + cancellation + 1e-12,
                $"grad[{i}] at input {input[i]}, target {target[i]}: {fastGrad[i]} vs {slowGrad[i]}");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_nan_input_gives_a_nan_loss_on_replay(bool logits)
    {
        var (input, target) = Data(64, logits);
        var x = new Tensor((float[])input.Clone(), 64, 1);
        ElementwiseLoss loss = logits ? new BceWithLogitsLoss() : new BceLoss();
        var output = loss.Forward(x, new Tensor(target, 64, 1));
        var graph = Graph.Capture(output);
        x.Data[13] = float.NaN;   // the divergence a training loop must see (validation only runs at capture)
        graph.Forward();
        Assert.True(float.IsNaN(output.Item()));
    }
}
