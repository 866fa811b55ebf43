using Converge.Modules;
using Converge.Tensors;

namespace Converge.Training;

/// <summary>
/// The architecture of a multilayer perceptron for binary classification:
/// [BatchNorm1d] → (Linear → activation) per hidden layer → Linear(·, 1) → [Sigmoid].
/// Plain data, so it is saved in the model file and rebuilt on load.
/// </summary>
/// <param name="Inputs">Number of input features (after one-hot encoding).</param>
/// <param name="Hidden">Width of each hidden layer; empty for logistic regression.</param>
/// <param name="Activation">Nonlinearity after each hidden Linear.</param>
/// <param name="InputBatchNorm">A BatchNorm1d on the raw inputs (the question's second answer).</param>
/// <param name="OutputSigmoid">End with a sigmoid (for BceLoss); otherwise the output is a logit.</param>
public sealed record NetworkSpec(int Inputs, int[] Hidden, Activation Activation, bool InputBatchNorm, bool OutputSigmoid)
{
    /// <summary>
    /// The most weights and biases a network may have (2^28, 1 GiB of float32): Converge's networks are
    /// small, and a bound checked before anything is allocated keeps a crafted model file or a typo in
    /// <c>--hidden</c> from exhausting memory.
    /// </summary>
    public const long MaxParameters = 1L << 28;

    /// <summary>The number of weights and biases (BatchNorm1d affine parameters included), computed without building anything; saturates at <see cref="long.MaxValue"/>.</summary>
    public long ParameterCount()
    {
        long total = InputBatchNorm ? 2L * Inputs : 0;
        long width = Inputs;
        foreach (var h in Hidden ?? [])
        {
            total = SaturatingAdd(total, SaturatingAdd(SaturatingMultiply(width, h), h));
            width = h;
        }
        return SaturatingAdd(total, width + 1);
    }

    /// <summary>
    /// The state dictionary <see cref="Build"/> produces, as names and shapes in order (parameters, then
    /// buffers), computed without allocating the network. Call <see cref="Validate"/> first.
    /// </summary>
    public IReadOnlyList<(string Name, int[] Shape)> ExpectedState()
    {
        var parameters = new List<(string, int[])>();
        var buffers = new List<(string, int[])>();
        var index = 0;
        if (InputBatchNorm)
        {
            parameters.Add(("0.weight", [Inputs]));
            parameters.Add(("0.bias", [Inputs]));
            buffers.Add(("0.running_mean", [Inputs]));
            buffers.Add(("0.running_var", [Inputs]));
            buffers.Add(("0.num_batches_tracked", [1]));
            index = 1;
        }
        var width = Inputs;
        foreach (var h in Hidden)
        {
            parameters.Add(($"{index}.weight", [h, width]));
            parameters.Add(($"{index}.bias", [h]));
            index += 2;
            width = h;
        }
        parameters.Add(($"{index}.weight", [1, width]));
        parameters.Add(($"{index}.bias", [1]));
        return [.. parameters, .. buffers];
    }

    /// <summary>
    /// Checks the architecture without allocating it: at least one input, positive widths, a known
    /// activation and at most <see cref="MaxParameters"/> parameters. Throws
    /// <see cref="ArgumentOutOfRangeException"/> naming the bad part.
    /// </summary>
    public void Validate()
    {
        if (Inputs <= 0) throw new ArgumentOutOfRangeException(nameof(Inputs), $"A network needs at least one input feature, got {Inputs}.");
        if (Hidden is null) throw new ArgumentOutOfRangeException(nameof(Hidden), "The hidden layer widths are missing.");
        foreach (var h in Hidden)
            if (h <= 0) throw new ArgumentOutOfRangeException(nameof(Hidden), $"Hidden layer widths must be positive, got {h}.");
        if (!Enum.IsDefined(Activation)) throw new ArgumentOutOfRangeException(nameof(Activation), $"Unknown activation {(int)Activation}.");
        if (ParameterCount() is var count && count > MaxParameters)
            throw new ArgumentOutOfRangeException(nameof(Hidden),
                $"A network of {Inputs} inputs and hidden layers [{string.Join(",", Hidden)}] has {(count == long.MaxValue ? "too many" : count.ToString("N0", System.Globalization.CultureInfo.InvariantCulture))} parameters; the limit is {MaxParameters:N0}.");
    }

    /// <summary>The network <paramref name="options"/> describe for <paramref name="inputs"/> features.</summary>
    public static NetworkSpec For(int inputs, TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new(inputs, options.Hidden, options.Activation, options.Normalize == Normalization.BatchNorm, options.Loss == LossKind.Bce);
    }

    /// <summary>Builds the network with PyTorch's default initialization drawn from <paramref name="generator"/>.</summary>
    public Sequential Build(Generator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        Validate();
        var layers = new List<Module>();
        if (InputBatchNorm) layers.Add(new BatchNorm1d(Inputs));
        var width = Inputs;
        foreach (var h in Hidden)
        {
            layers.Add(new Linear(width, h, generator: generator));
            layers.Add(ActivationModule(Activation));
            width = h;
        }
        layers.Add(new Linear(width, 1, generator: generator));
        if (OutputSigmoid) layers.Add(new Sigmoid());
        return new Sequential([.. layers]);
    }

    /// <summary>The module for a hidden-layer activation.</summary>
    public static Module ActivationModule(Activation activation) => LayerKinds.For(activation).Create!();

    /// <summary>A short description such as "BatchNorm1d → 16 relu → 16 relu → 1 logit".</summary>
    public override string ToString()
    {
        var parts = new List<string>();
        if (InputBatchNorm) parts.Add($"BatchNorm1d({Inputs})");
        parts.Add($"{Inputs} in");
        parts.AddRange(Hidden.Select(h => $"{h} {Activation.ToString().ToLowerInvariant()}"));
        parts.Add(OutputSigmoid ? "1 sigmoid" : "1 logit");
        return string.Join(" → ", parts);
    }

    private static long SaturatingAdd(long a, long b) => a > long.MaxValue - b ? long.MaxValue : a + b;

    private static long SaturatingMultiply(long a, long b) => a != 0 && b > long.MaxValue / a ? long.MaxValue : a * b;
}
