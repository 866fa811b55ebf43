using Converge.Modules;
using Converge.Tensors;
using Converge.Tests.Export;
using Converge.Training;

namespace Converge.Tests.Training;

/// <summary>
/// Network output → P(positive), members averaged: σ of logits, probabilities kept, members summed in order and divided
/// once; the classifier's tensor path and the ensemble predictor give the same numbers.
/// </summary>
public class NetworkProbabilityTests
{
    private static Sequential Network(int seed, bool outputSigmoid)
    {
        var g = new Generator((ulong)seed);
        return outputSigmoid
            ? new Sequential(new Linear(3, 4, generator: g), new Tanh(), new Linear(4, 1, generator: g), new Sigmoid())
            : new Sequential(new Linear(3, 4, generator: g), new ReLU(), new Linear(4, 1, generator: g));
    }

    private static float[] Outputs(Module network, float[] x, int rows)
    {
        network.Eval();
        using var _ = Tensor.NoGrad();
        return network.Forward(new Tensor((float[])x.Clone(), rows, 3)).Data;
    }

    [Fact]
    public void A_logit_goes_through_sigmoid_and_a_probability_is_kept()
    {
        Assert.Equal(0.5f, NetworkProbability.FromOutput(0f, outputIsLogit: true));
        Assert.Equal(1f / (1f + MathF.Exp(-2f)), NetworkProbability.FromOutput(2f, outputIsLogit: true));
        Assert.Equal(0.3f, NetworkProbability.FromOutput(0.3f, outputIsLogit: false));
        float[] values = [-2f, 0f, 0.3f];
        NetworkProbability.FromOutputs(values, outputIsLogit: false);
        Assert.Equal([-2f, 0f, 0.3f], values);
        NetworkProbability.FromOutputs(values, outputIsLogit: true);
        Assert.Equal(0.5f, values[1]);
        Assert.True(Math.Abs(values[0] - (1 / (1 + Math.Exp(2)))) < 1e-7);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Members_are_summed_in_order_then_divided_once(bool outputSigmoid)
    {
        const int Rows = 50;
        var x = Reference.RandomFloats(1, Rows * 3, scale: 3f);
        Sequential[] members = [Network(1, outputSigmoid), Network(2, outputSigmoid), Network(3, outputSigmoid)];
        var mean = NetworkProbability.Mean(members, x, Rows, 3, outputIsLogit: !outputSigmoid);

        // The rule spelled out: each member's probabilities, a running float sum in member order, one division by 3.
        var expected = new float[Rows];
        foreach (var m in members)
        {
            var p = Outputs(m, x, Rows);
            for (var r = 0; r < Rows; r++) expected[r] += outputSigmoid ? p[r] : 1f / (1f + MathF.Exp(-p[r]));
        }
        for (var r = 0; r < Rows; r++) expected[r] /= 3f;
        for (var r = 0; r < Rows; r++) Assert.True(Math.Abs(expected[r] - mean[r]) <= 1e-6, $"row {r}: {mean[r]} vs {expected[r]}");

        var single = NetworkProbability.Of(members[0], x, Rows, 3, outputIsLogit: !outputSigmoid);
        Assert.Equal(NetworkProbability.Mean([members[0]], x, Rows, 3, !outputSigmoid), single);

        var predictor = Predictor.Create(members, scaler: null, outputIsLogit: !outputSigmoid);
        var batch = new float[Rows];
        predictor.PredictProbabilities(x, batch);
        for (var r = 0; r < Rows; r++) Assert.True(Math.Abs(batch[r] - mean[r]) <= 1e-5, $"row {r}: predictor {batch[r]} vs {mean[r]}");
    }

    [Fact]
    public void The_input_is_never_written_and_modes_are_kept()
    {
        var x = Reference.RandomFloats(2, 4 * 3, scale: 2f);
        var copy = (float[])x.Clone();
        var network = Network(4, outputSigmoid: false);
        network.Train();
        NetworkProbability.Of(network, x, 4, 3, outputIsLogit: true);
        Assert.Equal(copy, x);
        Assert.True(network.IsTraining);
        var identity = new Sequential(new Dropout(0.5));
        var one = new float[] { 0f, 1f };
        Assert.Equal([0.5f, 1f / (1f + MathF.Exp(-1f))], NetworkProbability.Of(identity, one, 2, 1, outputIsLogit: true), (a, b) => Math.Abs(a - b) < 1e-7);
        Assert.Equal([0f, 1f], one);
    }

    [Fact]
    public void The_divisor_is_one_division_by_the_member_count()
    {
        Assert.Equal(0.7f, NetworkProbability.DivideByMembers(0.7f, 1));
        Assert.Equal(2.1f / 3, NetworkProbability.DivideByMembers(2.1f, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => NetworkProbability.DivideByMembers(1f, 0));
        Assert.Throws<ArgumentException>(() => NetworkProbability.Mean([], [], 0, 3, outputIsLogit: true));
    }
}
