using Converge.Tensors;

namespace Converge.Modules;

/// <summary>Nonlinearities known to <see cref="Init.CalculateGain"/>.</summary>
public enum Nonlinearity
{
    /// <summary>Identity (gain 1).</summary>
    Linear,

    /// <summary>Sigmoid (gain 1).</summary>
    Sigmoid,

    /// <summary>Tanh (gain 5/3).</summary>
    Tanh,

    /// <summary>ReLU (gain √2).</summary>
    Relu,

    /// <summary>Leaky ReLU (gain √(2/(1 + slope²))).</summary>
    LeakyRelu,

    /// <summary>SELU (gain 3/4).</summary>
    Selu,
}

/// <summary>Which fan Kaiming initialization preserves the variance of.</summary>
public enum FanMode
{
    /// <summary>Preserve the variance of the forward pass.</summary>
    FanIn,

    /// <summary>Preserve the variance of the backward pass.</summary>
    FanOut,
}

/// <summary>
/// PyTorch's <c>torch.nn.init</c>: fills a parameter in place from a seeded <see cref="Generator"/>.
/// For a [out, in] matrix fan_in = in and fan_out = out; a vector has fan_in = its length.
/// </summary>
public static class Init
{
    /// <summary>The recommended gain for a nonlinearity (calculate_gain).</summary>
    public static double CalculateGain(Nonlinearity nonlinearity, double? param = null) => nonlinearity switch
    {
        Nonlinearity.Linear or Nonlinearity.Sigmoid => 1.0,
        Nonlinearity.Tanh => 5.0 / 3.0,
        Nonlinearity.Relu => Math.Sqrt(2.0),
        Nonlinearity.LeakyRelu => Math.Sqrt(2.0 / (1 + Math.Pow(param ?? 0.01, 2))),
        Nonlinearity.Selu => 3.0 / 4.0,
        _ => throw new ArgumentOutOfRangeException(nameof(nonlinearity), nonlinearity, null),
    };

    /// <summary>(fan_in, fan_out) of a weight, as torch.nn.init computes them.</summary>
    public static (int FanIn, int FanOut) Fans(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.Rank < 2) throw new ArgumentException($"Fan in and fan out need at least 2 dimensions, got {Tensor.ShapeToString(tensor.Shape)}.", nameof(tensor));
        return (tensor.Shape[1], tensor.Shape[0]);
    }

    /// <summary>U(−bound, bound) with bound = gain·√(3/fan) (kaiming_uniform_, default a = 0, fan_in, leaky_relu).</summary>
    public static void KaimingUniform(Tensor tensor, Generator generator, double a = 0, FanMode mode = FanMode.FanIn, Nonlinearity nonlinearity = Nonlinearity.LeakyRelu)
    {
        var std = CalculateGain(nonlinearity, a) / Math.Sqrt(Fan(tensor, mode));
        Uniform(tensor, generator, -Math.Sqrt(3.0) * std, Math.Sqrt(3.0) * std);
    }

    /// <summary>N(0, (gain/√fan)²) (kaiming_normal_).</summary>
    public static void KaimingNormal(Tensor tensor, Generator generator, double a = 0, FanMode mode = FanMode.FanIn, Nonlinearity nonlinearity = Nonlinearity.LeakyRelu) =>
        Normal(tensor, generator, 0, CalculateGain(nonlinearity, a) / Math.Sqrt(Fan(tensor, mode)));

    /// <summary>U(±gain·√(6/(fan_in + fan_out))) (xavier_uniform_).</summary>
    public static void XavierUniform(Tensor tensor, Generator generator, double gain = 1)
    {
        var (fanIn, fanOut) = Fans(tensor);
        var bound = gain * Math.Sqrt(6.0 / (fanIn + fanOut));
        Uniform(tensor, generator, -bound, bound);
    }

    /// <summary>N(0, gain²·2/(fan_in + fan_out)) (xavier_normal_).</summary>
    public static void XavierNormal(Tensor tensor, Generator generator, double gain = 1)
    {
        var (fanIn, fanOut) = Fans(tensor);
        Normal(tensor, generator, 0, gain * Math.Sqrt(2.0 / (fanIn + fanOut)));
    }

    /// <summary>Fills <paramref name="tensor"/> from U(low, high) drawn from <paramref name="generator"/>.</summary>
    public static void Uniform(Tensor tensor, Generator generator, double low, double high)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        ArgumentNullException.ThrowIfNull(generator);
        for (var i = 0; i < tensor.Length; i++) tensor.Data[i] = (float)generator.NextUniform(low, high);
    }

    /// <summary>Fills <paramref name="tensor"/> from N(mean, std²) drawn from <paramref name="generator"/>.</summary>
    public static void Normal(Tensor tensor, Generator generator, double mean, double std)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        ArgumentNullException.ThrowIfNull(generator);
        for (var i = 0; i < tensor.Length; i++) tensor.Data[i] = (float)(mean + std * generator.NextNormal());
    }

    /// <summary>Fills <paramref name="tensor"/> with <paramref name="value"/>.</summary>
    public static void Constant(Tensor tensor, float value)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        Array.Fill(tensor.Data, value);
    }

    /// <summary>Fills <paramref name="tensor"/> with zeros.</summary>
    public static void Zeros(Tensor tensor) => Constant(tensor, 0f);

    private static int Fan(Tensor tensor, FanMode mode)
    {
        var (fanIn, fanOut) = Fans(tensor);
        var fan = mode == FanMode.FanIn ? fanIn : fanOut;
        if (fan == 0) throw new ArgumentException("Cannot initialize a tensor with a zero fan.", nameof(tensor));
        return fan;
    }
}
