using System.Text.Json;
using Converge.Modules;
using Converge.Tensors;
using Converge.Tests.Tensors;

namespace Converge.Tests.Modules;

/// <summary>
/// Init against vectors.json → init: gains (double, exact formula: 1e-15 relative), and bounds /
/// standard deviations. A bound is checked by drawing with the same seed through
/// <see cref="Init.Uniform"/> (or <see cref="Init.Normal"/>) with PyTorch's value: the float32
/// samples must agree to one float32 ulp of the bound (a last-bit difference in a double bound may
/// move a rounding). Large samples then check the spread itself.
/// </summary>
public class InitTests
{
    private static readonly JsonElement Vectors = ReferenceVectors.Load("init");

    public static TheoryData<int> BoundCases() => [.. Enumerable.Range(0, Vectors.GetProperty("bounds").GetArrayLength())];

    [Fact]
    public void CalculateGain_matches_PyTorch()
    {
        var gains = Vectors.GetProperty("calculate_gain");
        (string Key, double Actual)[] cases =
        [
            ("linear", Init.CalculateGain(Nonlinearity.Linear)),
            ("sigmoid", Init.CalculateGain(Nonlinearity.Sigmoid)),
            ("tanh", Init.CalculateGain(Nonlinearity.Tanh)),
            ("relu", Init.CalculateGain(Nonlinearity.Relu)),
            ("leaky_relu", Init.CalculateGain(Nonlinearity.LeakyRelu)),
            ("leaky_relu(a=sqrt(5))", Init.CalculateGain(Nonlinearity.LeakyRelu, Math.Sqrt(5))),
            ("selu", Init.CalculateGain(Nonlinearity.Selu)),
        ];
        foreach (var (key, actual) in cases)
            ReferenceVectors.Close(gains.GetProperty(key).GetDouble(), actual, 1e-15, 0, key);
    }

    [Theory]
    [MemberData(nameof(BoundCases))]
    public void Linear_default_init_draws_within_PyTorchs_bounds(int index)
    {
        var c = Vectors.GetProperty("bounds")[index];
        var (inFeatures, outFeatures) = (c.GetProperty("in_features").GetInt32(), c.GetProperty("out_features").GetInt32());
        var (weightBound, biasBound) = (c.GetProperty("linear_default_weight_bound").GetDouble(), c.GetProperty("linear_default_bias_bound").GetDouble());
        var linear = new Linear(inFeatures, outFeatures, generator: new Generator(17));
        Assert.All(linear.Weight.Data, w => Assert.InRange(Math.Abs(w), 0, weightBound));
        Assert.All(linear.Bias!.Data, b => Assert.InRange(Math.Abs(b), 0, biasBound));

        var generator = new Generator(17);
        var weight = Tensor.Zeros(outFeatures, inFeatures);
        var bias = Tensor.Zeros(outFeatures);
        Init.Uniform(weight, generator, -weightBound, weightBound);
        Init.Uniform(bias, generator, -biasBound, biasBound);
        ReferenceVectors.Close([.. weight.Data.Select(static v => (double)v)], linear.Weight.Data, 0, Ulp(weightBound), "weight");
        ReferenceVectors.Close([.. bias.Data.Select(static v => (double)v)], linear.Bias.Data, 0, Ulp(biasBound), "bias");
    }

    [Theory]
    [MemberData(nameof(BoundCases))]
    public void Kaiming_and_Xavier_match_PyTorchs_bounds_and_stds(int index)
    {
        var c = Vectors.GetProperty("bounds")[index];
        int[] shape = [c.GetProperty("out_features").GetInt32(), c.GetProperty("in_features").GetInt32()];
        (string Key, Action<Tensor, Generator> Init, bool Normal)[] cases =
        [
            ("kaiming_uniform_relu_fan_in_bound", static (t, g) => Init.KaimingUniform(t, g, nonlinearity: Nonlinearity.Relu), false),
            ("kaiming_normal_relu_fan_in_std", static (t, g) => Init.KaimingNormal(t, g, nonlinearity: Nonlinearity.Relu), true),
            ("xavier_uniform_bound", static (t, g) => Init.XavierUniform(t, g), false),
            ("xavier_normal_std", static (t, g) => Init.XavierNormal(t, g), true),
        ];
        foreach (var (key, init, normal) in cases)
        {
            var expected = c.GetProperty(key).GetDouble();
            var actual = Tensor.Zeros(shape);
            init(actual, new Generator(23));
            var reference = Tensor.Zeros(shape);
            if (normal) Init.Normal(reference, new Generator(23), 0, expected);
            else Init.Uniform(reference, new Generator(23), -expected, expected);
            var scale = normal ? 6 * expected : expected;   // |normal samples| stay below 6σ here
            ReferenceVectors.Close([.. reference.Data.Select(static v => (double)v)], actual.Data, 0, Ulp(scale), key);
        }
    }

    [Fact]
    public void Large_samples_have_the_intended_spread()
    {
        const int Out = 300, In = 400;   // 120 000 samples: the sample std is within 1 % with overwhelming probability
        (string Name, Action<Tensor> Fill, double Std)[] cases =
        [
            ("kaiming_uniform", t => Init.KaimingUniform(t, new Generator(1), nonlinearity: Nonlinearity.Relu), Math.Sqrt(2.0 / In)),
            ("kaiming_normal", t => Init.KaimingNormal(t, new Generator(2), nonlinearity: Nonlinearity.Relu), Math.Sqrt(2.0 / In)),
            ("kaiming_normal_fan_out", t => Init.KaimingNormal(t, new Generator(3), mode: FanMode.FanOut, nonlinearity: Nonlinearity.Relu), Math.Sqrt(2.0 / Out)),
            ("kaiming_uniform_leaky_default", t => Init.KaimingUniform(t, new Generator(4)), Math.Sqrt(2.0 / In)),
            ("xavier_uniform", t => Init.XavierUniform(t, new Generator(5)), Math.Sqrt(2.0 / (In + Out))),
            ("xavier_normal_gain", t => Init.XavierNormal(t, new Generator(6), gain: 5.0 / 3), 5.0 / 3 * Math.Sqrt(2.0 / (In + Out))),
            ("linear_default", t => new Linear(In, Out, generator: new Generator(7)).Weight.Data.CopyTo(t.Data, 0), 1 / Math.Sqrt(3.0 * In)),
        ];
        foreach (var (name, fill, std) in cases)
        {
            var t = Tensor.Zeros(Out, In);
            fill(t);
            var mean = t.Data.Average(static v => (double)v);
            var sampleStd = Math.Sqrt(t.Data.Sum(v => (v - mean) * (v - mean)) / (t.Length - 1));
            Assert.True(Math.Abs(mean) < 0.01 * std, $"{name}: mean {mean}, std {std}");
            Assert.True(Math.Abs(sampleStd / std - 1) < 0.01, $"{name}: sample std {sampleStd}, expected {std}");
        }
    }

    [Fact]
    public void Constant_and_Zeros_fill_and_vectors_have_no_fans()
    {
        var t = Tensor.Ones(2, 3);
        Init.Constant(t, 0.25f);
        Assert.All(t.Data, static v => Assert.Equal(0.25f, v));
        Init.Zeros(t);
        Assert.All(t.Data, static v => Assert.Equal(0f, v));
        Assert.Equal((3, 2), Init.Fans(t));
        var error = Assert.Throws<ArgumentException>(() => Init.XavierUniform(Tensor.Zeros(4), new Generator(0)));
        Assert.Contains("[4]", error.Message, StringComparison.Ordinal);
    }

    private static double Ulp(double value) => MathF.BitIncrement((float)Math.Abs(value)) - (float)Math.Abs(value);
}
