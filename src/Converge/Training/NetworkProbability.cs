using Converge.Data;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using Converge.Modules;
using Converge.Tensors;

namespace Converge.Training;

/// <summary>
/// The one home of "network output → P(positive), an ensemble's members averaged": a logit goes through
/// σ (an output already a probability, when the network ends in a sigmoid, is kept), and members are summed
/// in order, then divided once by their count. The tensor path, <see cref="Predictor"/> and the ONNX export
/// (Sigmoid, Sum, Div) follow this float order, so their results agree to the bit where the network outputs do.
/// </summary>
public static class NetworkProbability
{
    /// <summary>P(positive) of one network output: σ(x) = 1/(1 + e^(−x)) of a logit, <paramref name="output"/> itself otherwise.</summary>
    public static float FromOutput(float output, bool outputIsLogit) => outputIsLogit ? 1f / (1f + MathF.Exp(-output)) : output;

    /// <summary>Turns network outputs into P(positive) in place (σ of logits with TensorPrimitives; probabilities are kept).</summary>
    public static void FromOutputs(Span<float> outputs, bool outputIsLogit)
    {
        if (outputIsLogit) TensorPrimitives.Sigmoid(outputs, outputs);
    }

    /// <summary>Adds one member's probabilities to the running sum (members in order).</summary>
    public static void AddMember(Span<float> sum, ReadOnlySpan<float> member) => TensorPrimitives.Add(sum, member, sum);

    /// <summary>The mean from the sum of <paramref name="members"/> members' probabilities: one division (none for a single network).</summary>
    public static void DivideByMembers(Span<float> sum, int members)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(members, 1);
        if (members > 1) TensorPrimitives.Divide(sum, members, sum);
    }

    /// <summary>As <see cref="DivideByMembers(Span{float}, int)"/> for one row.</summary>
    public static float DivideByMembers(float sum, int members)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(members, 1);
        return members > 1 ? sum / members : sum;
    }

    /// <summary>
    /// The mean P(positive) of <paramref name="members"/> (one network or a cross-fitted ensemble) in eval mode,
    /// without recording a graph, on <paramref name="rows"/> rows of <paramref name="features"/> given as the
    /// networks take them (already standardized). Each member is left in the mode it had.
    /// </summary>
    public static float[] Mean(IReadOnlyList<Module> members, float[] features, int rows, int cols, bool outputIsLogit, StandardScaler? scaler = null)
    {
        ArgumentNullException.ThrowIfNull(members);
        ArgumentNullException.ThrowIfNull(features);
        if (members.Count == 0) throw new ArgumentException("NetworkProbability: an ensemble needs at least one network.", nameof(members));
        using var _ = Tensor.NoGrad();
        float[]? sum = null;
        foreach (var member in members)
        {
            var wasTraining = member.IsTraining;
            member.Eval();
            float[] probabilities;
            try
            {
                probabilities = BlockForward.Outputs(member, features, rows, cols, scaler);
            }
            finally
            {
                member.Train(wasTraining);
            }
            if (ReferenceEquals(probabilities, features)) probabilities = (float[])probabilities.Clone();   // an identity network: never write into the input
            if (probabilities.Length != rows)
                throw new ArgumentException($"NetworkProbability: a network must give one output per row, got {probabilities.Length} values for {rows} rows.", nameof(members));
            FromOutputs(probabilities, outputIsLogit);
            if (sum is null) sum = probabilities;
            else AddMember(sum, probabilities);
        }
        DivideByMembers(sum, members.Count);
        return sum!;
    }

    /// <summary>P(positive) of one network: <see cref="Mean"/> of a single member.</summary>
    public static float[] Of(Module network, float[] features, int rows, int cols, bool outputIsLogit, StandardScaler? scaler = null) =>
        Mean([network], features, rows, cols, outputIsLogit, scaler);
}
