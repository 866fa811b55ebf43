using Converge.Modules;
using Converge.Tensors;

namespace Converge.Training;

/// <summary>Hidden-layer nonlinearity of a <see cref="NetworkSpec"/>.</summary>
public enum Activation { Relu, Tanh, Sigmoid, LeakyRelu }

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
        if (Inputs <= 0) throw new ArgumentOutOfRangeException(nameof(Inputs), $"A network needs at least one input feature, got {Inputs}.");
        var layers = new List<Module>();
        if (InputBatchNorm) layers.Add(new BatchNorm1d(Inputs));
        var width = Inputs;
        foreach (var h in Hidden)
        {
            if (h <= 0) throw new ArgumentOutOfRangeException(nameof(Hidden), $"Hidden layer widths must be positive, got {h}.");
            layers.Add(new Linear(width, h, generator: generator));
            layers.Add(ActivationModule(Activation));
            width = h;
        }
        layers.Add(new Linear(width, 1, generator: generator));
        if (OutputSigmoid) layers.Add(new Sigmoid());
        return new Sequential([.. layers]);
    }

    public static Module ActivationModule(Activation activation) => activation switch
    {
        Activation.Relu => new ReLU(),
        Activation.Tanh => new Tanh(),
        Activation.Sigmoid => new Sigmoid(),
        Activation.LeakyRelu => new LeakyReLU(),
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, null),
    };

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
}
