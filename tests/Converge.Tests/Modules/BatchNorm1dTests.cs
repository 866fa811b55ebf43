using System.Text.Json;
using Converge.Modules;
using Converge.Tensors;
using Converge.Tests.Tensors;

namespace Converge.Tests.Modules;

/// <summary>
/// BatchNorm1d against vectors.json → batchnorm1d (PyTorch 1.13, float64) and finite differences.
/// </summary>
/// <remarks>
/// Tolerance: relative 1e-6 plus absolute 1e-6. Statistics are accumulated in double, but x̂,
/// γ·x̂ + β and the gradient are float32 (bias_init and G are not representable: 3e-8 relative),
/// and outputs such as −0.000222742 are differences of O(1) terms, so an absolute float32 floor
/// of a few ulps of 1 is needed. Observed: at most 5.3e-7 absolute (grad_input), 1.9e-7 on outputs.
/// </remarks>
public class BatchNorm1dTests
{
    private const double Relative = 1e-6;
    private const double Absolute = 1e-6;

    private static readonly JsonElement Vectors = ReferenceVectors.Load("batchnorm1d");

    private static BatchNorm1d ConfiguredModule()
    {
        var bn = new BatchNorm1d(Vectors.GetProperty("num_features").GetInt32(), Vectors.GetProperty("eps").GetDouble(), Vectors.GetProperty("momentum").GetDouble());
        ReferenceVectors.Floats(Vectors, "weight_init").CopyTo(bn.Weight!.Data, 0);
        ReferenceVectors.Floats(Vectors, "bias_init").CopyTo(bn.Bias!.Data, 0);
        ReferenceVectors.Floats(Vectors, "running_mean_init").CopyTo(bn.RunningMean!.Data, 0);
        ReferenceVectors.Floats(Vectors, "running_var_init").CopyTo(bn.RunningVar!.Data, 0);
        return bn;
    }

    private static Tensor Matrix(JsonElement rows, bool requiresGrad = false) =>
        new(ReferenceVectors.Floats(rows), ReferenceVectors.MatrixShape(rows)) { RequiresGrad = requiresGrad };

    [Fact]
    public void Training_step_matches_PyTorch_output_gradients_and_running_statistics()
    {
        var bn = ConfiguredModule();
        var train = Vectors.GetProperty("train");
        var x = Matrix(Vectors.GetProperty("input"), requiresGrad: true);
        var y = bn.Forward(x);
        ReferenceVectors.Close(ReferenceVectors.Doubles(train, "output"), y.Data, Relative, Absolute, "output");
        (y * Matrix(Vectors.GetProperty("G"))).Sum().Backward();
        ReferenceVectors.Close(ReferenceVectors.Doubles(train, "grad_input"), x.Grad!, Relative, Absolute, "grad_input");
        ReferenceVectors.Close(ReferenceVectors.Doubles(train, "grad_weight"), bn.Weight!.Grad!, Relative, Absolute, "grad_weight");
        ReferenceVectors.Close(ReferenceVectors.Doubles(train, "grad_bias"), bn.Bias!.Grad!, Relative, Absolute, "grad_bias");
        ReferenceVectors.Close(ReferenceVectors.Doubles(train, "running_mean_after"), bn.RunningMean!.Data, Relative, Absolute, "running_mean");
        ReferenceVectors.Close(ReferenceVectors.Doubles(train, "running_var_after"), bn.RunningVar!.Data, Relative, Absolute, "running_var");
        Assert.Equal(train.GetProperty("num_batches_tracked_after").GetInt32(), (int)bn.NumBatchesTracked!.Item());

        // Eval mode after that step uses the updated running statistics.
        bn.Eval();
        var eval = Vectors.GetProperty("eval");
        ReferenceVectors.Close(ReferenceVectors.Doubles(eval, "output"), bn.Forward(Matrix(eval.GetProperty("input"))).Data, Relative, Absolute, "eval output");
        Assert.Equal(1, (int)bn.NumBatchesTracked.Item());
    }

    [Fact]
    public void Default_module_matches_PyTorch()
    {
        var expected = Vectors.GetProperty("default_module_train");
        var bn = new BatchNorm1d(3);
        Assert.Equal([1f, 1f, 1f], bn.Weight!.Data);
        Assert.Equal([0f, 0f, 0f], bn.Bias!.Data);
        var y = bn.Forward(Matrix(Vectors.GetProperty("input")));
        ReferenceVectors.Close(ReferenceVectors.Doubles(expected, "output"), y.Data, Relative, Absolute, "output");
        ReferenceVectors.Close(ReferenceVectors.Doubles(expected, "running_mean_after"), bn.RunningMean!.Data, Relative, Absolute, "running_mean");
        ReferenceVectors.Close(ReferenceVectors.Doubles(expected, "running_var_after"), bn.RunningVar!.Data, Relative, Absolute, "running_var");
    }

    [Fact]
    public void Null_momentum_gives_the_cumulative_average_of_two_batches()
    {
        var expected = Vectors.GetProperty("cumulative_average_two_batches");
        var bn = new BatchNorm1d(3, momentum: null);
        foreach (var batch in expected.GetProperty("batches").EnumerateArray()) bn.Forward(Matrix(batch));
        ReferenceVectors.Close(ReferenceVectors.Doubles(expected, "running_mean_after"), bn.RunningMean!.Data, Relative, Absolute, "running_mean");
        ReferenceVectors.Close(ReferenceVectors.Doubles(expected, "running_var_after"), bn.RunningVar!.Data, Relative, Absolute, "running_var");
        Assert.Equal(2f, bn.NumBatchesTracked!.Item());
    }

    [Fact]
    public void Training_batch_of_one_throws_PyTorchs_message_and_still_counts_the_batch()
    {
        var expected = Vectors.GetProperty("batch_of_one");
        var x = Matrix(expected.GetProperty("input"));
        var bn = new BatchNorm1d(3);
        var error = Assert.Throws<ArgumentException>(() => bn.Forward(x));
        // PyTorch prints the size as torch.Size([1, 3]); ours is [1, 3].
        var pytorchMessage = expected.GetProperty("train_error").GetString()!.Replace("torch.Size(", "", StringComparison.Ordinal).Replace("])", "]", StringComparison.Ordinal);
        Assert.Contains(pytorchMessage, error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(1f, bn.NumBatchesTracked!.Item());   // documented quirk: counted before the check
        Assert.Equal([0f, 0f, 0f], bn.RunningMean!.Data);
        Assert.Equal([1f, 1f, 1f], bn.RunningVar!.Data);

        var fresh = new BatchNorm1d(3);
        fresh.Eval();
        ReferenceVectors.Close(ReferenceVectors.Doubles(expected, "eval_output_fresh_module"), fresh.Forward(x).Data, Relative, Absolute, "eval output");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Training_mode_gradients_of_input_weight_and_bias_pass_gradcheck(bool affine)
    {
        var bn = new BatchNorm1d(3, affine: affine);
        if (affine)
        {
            GradCheck.Parameter(81, [3], 0.5, 2).Data.CopyTo(bn.Weight!.Data, 0);
            GradCheck.Parameter(82, [3]).Data.CopyTo(bn.Bias!.Data, 0);
        }
        var x = GradCheck.Parameter(83, [6, 3]);
        Tensor[] inputs = affine ? [x, bn.Weight!, bn.Bias!] : [x];
        GradCheck.Check(() => bn.Forward(x), inputs);
    }

    [Fact]
    public void Eval_mode_gradients_of_input_weight_and_bias_pass_gradcheck()
    {
        var bn = ConfiguredModule();
        bn.Eval();
        var x = GradCheck.Parameter(84, [1, 3]);   // eval mode accepts a batch of one
        var batch = GradCheck.Parameter(85, [5, 3]);
        GradCheck.Check(() => bn.Forward(x), x, bn.Weight!, bn.Bias!);
        GradCheck.Check(() => bn.Forward(batch), batch, bn.Weight!, bn.Bias!);
        Assert.Equal(0f, bn.NumBatchesTracked!.Item());   // eval mode leaves the buffers alone
        Assert.Equal(ReferenceVectors.Floats(Vectors, "running_mean_init"), bn.RunningMean!.Data);
    }

    [Fact]
    public void Wrong_feature_count_names_the_shape()
    {
        var error = Assert.Throws<ArgumentException>(() => new BatchNorm1d(3).Forward(Tensor.Zeros(4, 2)));
        Assert.Contains("[4, 2]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_running_stats_there_are_no_buffers_and_eval_uses_batch_statistics()
    {
        var bn = new BatchNorm1d(2, trackRunningStats: false);
        Assert.False(bn.TrackRunningStats);
        Assert.Empty(bn.NamedBuffers());
        Assert.Equal(["weight", "bias"], bn.StateDict().Keys.Order(StringComparer.Ordinal).Reverse());
        var x = new Tensor([1f, 10f, 3f, 20f, 5f, 30f], 3, 2);
        var train = bn.Forward(x).Data;
        bn.Eval();
        Assert.Equal(train, bn.Forward(x).Data);   // PyTorch: batch statistics in eval mode too
        Assert.Throws<ArgumentException>(() => bn.Forward(new Tensor([1f, 2f], 1, 2)));
    }
}
