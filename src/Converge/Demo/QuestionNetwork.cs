using Converge.Modules;
using Converge.Tensors;

namespace Converge.Demo;

/// <summary>The question's network, written with the engine's modules.</summary>
public static class QuestionNetwork
{
    /// <summary>Width of the hidden layer in the question.</summary>
    public const int HiddenUnits = 4;

    /// <summary>
    /// [BatchNorm1d(inputs)] → Linear(inputs, 4) → Sigmoid → Linear(4, 1) → [Sigmoid], with
    /// PyTorch's default initialization drawn from <paramref name="generator"/> (first layer, then
    /// second), so scenarios built from the same seed start from the same weights. The same layout as
    /// <c>NetworkSpec(inputs, [4], Activation.Sigmoid, batchNorm, outputSigmoid).Build(generator)</c>.
    /// </summary>
    public static Sequential Create(int inputs, bool inputBatchNorm, bool outputSigmoid, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        var layers = new List<Module>();
        if (inputBatchNorm) layers.Add(new BatchNorm1d(inputs));
        layers.Add(new Linear(inputs, HiddenUnits, generator: generator));
        layers.Add(new Sigmoid());
        layers.Add(new Linear(HiddenUnits, 1, generator: generator));
        if (outputSigmoid) layers.Add(new Sigmoid());
        return new Sequential([.. layers]);
    }
}
