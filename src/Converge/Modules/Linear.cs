using Converge.Tensors;

namespace Converge.Modules;

/// <summary>y = x·Wᵀ + b, applied to every row (PyTorch's <c>nn.Linear</c>).</summary>
public sealed class Linear : Module
{
    /// <summary>
    /// A layer with PyTorch's default initialization drawn from <paramref name="generator"/>, or from
    /// <see cref="Generator.Default"/> (advancing it) when none is given, as <c>nn.Linear</c> draws from
    /// the global generator.
    /// </summary>
    public Linear(int inFeatures, int outFeatures, bool bias = true, Generator? generator = null)
    {
        if (inFeatures <= 0 || outFeatures <= 0)
            throw new ArgumentOutOfRangeException(nameof(inFeatures), $"Linear needs positive sizes, got in {inFeatures}, out {outFeatures}.");
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        Weight = Tensor.Parameter(new float[outFeatures * inFeatures], outFeatures, inFeatures);
        Bias = bias ? Tensor.Parameter(new float[outFeatures], outFeatures) : null;
        ResetParameters(generator ?? Generator.Default);
    }

    public int InFeatures { get; }
    public int OutFeatures { get; }

    /// <summary>[out, in]; U(±1/√in) by default.</summary>
    public Tensor Weight { get; }

    /// <summary>[out]; U(±1/√in) by default.</summary>
    public Tensor? Bias { get; }

    /// <summary>
    /// PyTorch's default: kaiming_uniform_(W, a=√5), which works out to U(±1/√in), and the bias
    /// U(±1/√fan_in). He et al.'s scaling assumes centred, unit-scale inputs.
    /// </summary>
    public void ResetParameters(Generator generator)
    {
        Init.KaimingUniform(Weight, generator, a: Math.Sqrt(5));
        if (Bias is not null)
        {
            var bound = 1 / Math.Sqrt(InFeatures);
            Init.Uniform(Bias, generator, -bound, bound);
        }
    }

    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 2 || input.Shape[1] != InFeatures)
            throw new ArgumentException($"Linear expects {InFeatures} input features ([batch, {InFeatures}]), got shape {Tensor.ShapeToString(input.Shape)}.", nameof(input));
        return input.MatMulTransposed(Weight).AddRow(Bias);
    }

    protected override IEnumerable<(string Name, Tensor Value)> OwnParameters()
    {
        yield return ("weight", Weight);
        if (Bias is not null) yield return ("bias", Bias);
    }

    protected override string ExtraRepresentation() => $"in_features={InFeatures}, out_features={OutFeatures}, bias={Bias is not null}";
}
