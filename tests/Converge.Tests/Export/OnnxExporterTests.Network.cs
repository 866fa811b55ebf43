using Converge.Export;
using Converge.Modules;
using Converge.Tensors;
using static Converge.Tests.Export.Reference;

namespace Converge.Tests.Export;

// The layer emitter on hand-built networks (shapes a trained model never has), and the threshold rule.
public partial class OnnxExporterTests
{
    private sealed class Square : Module
    {
        public override Tensor Forward(Tensor input) => input.Mul(input);
    }

    private static float[] RunNetwork(Sequential network, int inputs, bool applySigmoid, float[] x, int rows)
    {
        var b = new OnnxGraphBuilder();
        var input = b.AddInput("X", OnnxElementType.Float, OnnxDim.Batch, inputs);
        OnnxExporter.AddNetwork(b, input, network, inputs, applySigmoid);
        b.AddOutput(OnnxExporter.ProbabilityOutput, OnnxElementType.Float, OnnxDim.Batch, 1);
        return OrtHarness.Run(b.Build("network"), ("X", x, [rows, inputs]))[OnnxExporter.ProbabilityOutput].Floats;
    }

    [Fact]
    public void Nested_sequential_dropout_bias_free_linear_and_plain_batch_norm_match_forward()
    {
        var g = new Generator(5);
        var norm = new BatchNorm1d(3, eps: 1e-3, affine: false);
        float[] mean = [0.5f, -1f, 2f], variance = [0.25f, 4f, 1.5f];
        mean.CopyTo(norm.RunningMean!.Data, 0);
        variance.CopyTo(norm.RunningVar!.Data, 0);
        var network = new Sequential(
            norm,
            new Sequential(new Linear(3, 5, bias: false, generator: g), new Dropout(0.5), new LeakyReLU(0.2f)),
            new Linear(5, 1, generator: g));
        network.Eval();
        const int Rows = 16;
        var x = RandomFloats(6, Rows * 3, scale: 3f);

        var expected = network.Forward(new Tensor((float[])x.Clone(), Rows, 3)).Data;
        AssertClose(Map(expected, Sigmoid), RunNetwork(network, 3, applySigmoid: true, x, Rows), 1e-6);
    }

    [Fact]
    public void An_unknown_module_is_named_in_the_error()
    {
        var network = new Sequential(new Linear(2, 1), new Sequential(new Square()));
        var b = new OnnxGraphBuilder();
        var x = b.AddInput("X", OnnxElementType.Float, OnnxDim.Batch, 2);
        var e = Assert.Throws<OnnxExportException>(() => OnnxExporter.AddNetwork(b, x, network, 2, applySigmoid: true));
        Assert.Contains("'1.0'", e.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(Square), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_network_with_more_than_one_output_or_mismatched_widths_is_rejected()
    {
        var b = new OnnxGraphBuilder();
        var x = b.AddInput("X", OnnxElementType.Float, OnnxDim.Batch, 2);
        var wide = Assert.Throws<OnnxExportException>(() => OnnxExporter.AddNetwork(b, x, new Sequential(new Linear(2, 3)), 2, applySigmoid: true));
        Assert.Contains("3 outputs", wide.Message, StringComparison.Ordinal);
        var b2 = new OnnxGraphBuilder();
        var x2 = b2.AddInput("X", OnnxElementType.Float, OnnxDim.Batch, 2);
        var mismatch = Assert.Throws<OnnxExportException>(() => OnnxExporter.AddNetwork(b2, x2, new Sequential(new Linear(4, 1)), 2, applySigmoid: true));
        Assert.Contains("takes 4 features but receives 2", mismatch.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.3)]
    [InlineData(0.1234567891234)]
    [InlineData(0.7000000000000001)]
    [InlineData(1e-9)]
    public void The_float_threshold_keeps_the_rule_p_at_or_above_threshold(double threshold)
    {
        var t = OnnxExporter.ThresholdAsFloat(threshold);
        // Every float within a few ulps of the threshold must get the label Converge gives it.
        var p = MathF.BitDecrement(MathF.BitDecrement(MathF.BitDecrement((float)threshold)));
        for (var i = 0; i < 7; i++, p = MathF.BitIncrement(p))
            Assert.Equal(p >= threshold, p >= t);
    }
}
