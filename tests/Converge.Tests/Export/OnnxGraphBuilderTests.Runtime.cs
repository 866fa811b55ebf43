using Converge.Export;
using static Converge.Tests.Export.Reference;

namespace Converge.Tests.Export;

// Graphs built with OnnxGraphBuilder, executed by ONNX Runtime, compared to hand-written loops.
// Tolerance: max abs difference <= 1e-6 (inputs in [-3, 3], at most 4-term dot products).
// Categorical columns are never encoded inside the graph: the caller feeds them as pre-one-hot-encoded
// float columns of X, so every graph here takes a plain float matrix.
public partial class OnnxGraphBuilderTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    public void Two_layer_sigmoid_mlp_matches_reference(int batch)
    {
        float[] w1 = RandomFloats(1, 4 * 3), b1 = RandomFloats(2, 4), w2 = RandomFloats(3, 4), b2 = RandomFloats(4, 1);
        var b = new OnnxGraphBuilder();
        var x = b.AddInput("X", OnnxElementType.Float, OnnxDim.Batch, 3);
        var h = b.AddNode("Gemm", [x, b.AddInitializer("W1", w1, 4, 3), b.AddInitializer("B1", b1, 4)], OnnxAttribute.Int("transB", 1));
        h = b.AddNode("Sigmoid", [h]);
        var z = b.AddNode("Gemm", [h, b.AddInitializer("W2", w2, 1, 4), b.AddInitializer("B2", b2, 1)], OnnxAttribute.Int("transB", 1));
        b.AddNode("Sigmoid", [z], ["probability"]);
        b.AddOutput("probability", OnnxElementType.Float, OnnxDim.Batch, 1);

        var xData = RandomFloats(5, batch * 3, scale: 3f);
        var result = OrtHarness.Run(b.Build("mlp"), ("X", xData, [batch, 3]))["probability"];

        var expected = Map(Linear(Map(Linear(xData, batch, 3, w1, b1, 4), Sigmoid), batch, 4, w2, b2, 1), Sigmoid);
        Assert.Equal([batch, 1L], result.Shape);
        AssertClose(expected, result.Floats);
    }

    [Fact]
    public void Standardization_then_gemm_matches_reference()
    {
        const int Batch = 5;
        float[] mean = [0.5f, -1.25f, 2f], std = [1.5f, 0.75f, 2.5f];
        float[] w = RandomFloats(11, 2 * 3), bias = RandomFloats(12, 2);
        var b = new OnnxGraphBuilder();
        var x = b.AddInput("X", OnnxElementType.Float, OnnxDim.Batch, 3);
        var centered = b.AddNode("Sub", [x, b.AddInitializer("mean", mean, 3)]);
        var scaled = b.AddNode("Div", [centered, b.AddInitializer("std", std, 3)]);
        b.AddNode("Gemm", [scaled, b.AddInitializer("W", w, 2, 3), b.AddInitializer("B", bias, 2)], ["logits"], OnnxAttribute.Int("transB", 1));
        b.AddOutput("logits", OnnxElementType.Float, OnnxDim.Batch, 2);

        var xData = RandomFloats(13, Batch * 3, scale: 3f);
        var result = OrtHarness.Run(b.Build("standardize"), ("X", xData, [Batch, 3]))["logits"];

        var standardized = new float[xData.Length];
        for (var i = 0; i < xData.Length; i++) standardized[i] = (float)((xData[i] - (double)mean[i % 3]) / std[i % 3]);
        AssertClose(Linear(standardized, Batch, 3, w, bias, 2), result.Floats);
    }

    [Fact]
    public void Activations_and_batch_norm_match_reference()
    {
        const int Batch = 6;
        const float Alpha = 0.1f, Epsilon = 1e-3f;
        float[] scale = [1.5f, 0.5f, -2f], shift = [0.1f, -0.2f, 0.3f], mean = [0.25f, -0.5f, 1f], variance = [0.8f, 1.7f, 0.05f];
        var b = new OnnxGraphBuilder();
        var x = b.AddInput("X", OnnxElementType.Float, OnnxDim.Batch, 3);
        b.AddNode("Relu", [x], ["relu"]);
        b.AddNode("Tanh", [x], ["tanh"]);
        b.AddNode("LeakyRelu", [x], ["leaky"], OnnxAttribute.Float("alpha", Alpha));
        string[] bnInputs = [x, b.AddInitializer("bn_scale", scale, 3), b.AddInitializer("bn_bias", shift, 3),
            b.AddInitializer("bn_mean", mean, 3), b.AddInitializer("bn_var", variance, 3)];
        b.AddNode("BatchNormalization", bnInputs, ["bn"], OnnxAttribute.Float("epsilon", Epsilon));
        foreach (var name in new[] { "relu", "tanh", "leaky", "bn" }) b.AddOutput(name, OnnxElementType.Float, OnnxDim.Batch, 3);

        var xData = RandomFloats(21, Batch * 3, scale: 3f);
        var results = OrtHarness.Run(b.Build("activations"), ("X", xData, [Batch, 3]));

        AssertClose(Map(xData, v => Math.Max(v, 0)), results["relu"].Floats);
        AssertClose(Map(xData, Math.Tanh), results["tanh"].Floats);
        AssertClose(Map(xData, v => v >= 0 ? v : Alpha * v), results["leaky"].Floats);
        var bn = new float[xData.Length];
        for (var i = 0; i < xData.Length; i++)
        {
            var c = i % 3;
            bn[i] = (float)(scale[c] * (xData[i] - (double)mean[c]) / Math.Sqrt(variance[c] + (double)Epsilon) + shift[c]);
        }
        AssertClose(bn, results["bn"].Floats);
    }

    [Theory]
    [InlineData("Greater", OnnxElementType.Int64)]
    [InlineData("GreaterOrEqual", OnnxElementType.Int64)]
    [InlineData("GreaterOrEqual", OnnxElementType.Float)]
    public void Probability_and_label_outputs_apply_the_threshold(string compare, OnnxElementType labelType)
    {
        const float Threshold = 0.5f;
        float[] w = [1.5f, -2f, 0.75f];
        var b = new OnnxGraphBuilder();
        var x = b.AddInput("X", OnnxElementType.Float, OnnxDim.Batch, 3);
        var z = b.AddNode("Gemm", [x, b.AddInitializer("W", w, 1, 3), b.AddInitializer("B", [0f], 1)], OnnxAttribute.Int("transB", 1));
        b.AddNode("Sigmoid", [z], ["probability"]);
        var above = b.AddNode(compare, ["probability", b.AddInitializer("threshold", [Threshold])]);
        b.AddNode("Cast", [above], ["label"], OnnxAttribute.ElementType("to", labelType));
        b.AddOutput("probability", OnnxElementType.Float, OnnxDim.Batch, 1);
        b.AddOutput("label", labelType, OnnxDim.Batch, 1);

        // Row 0 is all zeros, so its probability is exactly 0.5: Greater and GreaterOrEqual disagree there.
        float[] xData = [0, 0, 0, .. RandomFloats(31, 8 * 3, scale: 3f)];
        const int Batch = 9;
        var results = OrtHarness.Run(b.Build("classifier"), ("X", xData, [Batch, 3]));

        var prob = results["probability"];
        AssertClose(Map(Linear(xData, Batch, 3, w, [0f], 1), Sigmoid), prob.Floats);
        Assert.Equal(0.5f, prob.Floats[0]);
        var expectedLabels = prob.Floats.Select(p => compare == "Greater" ? p > Threshold : p >= Threshold).ToArray();
        var labels = labelType == OnnxElementType.Int64
            ? results["label"].Int64s.Select(v => v switch { 0 => false, 1 => true, _ => throw new InvalidOperationException($"label {v}") })
            : results["label"].Floats.Select(v => v switch { 0f => false, 1f => true, _ => throw new InvalidOperationException($"label {v}") });
        Assert.Equal(expectedLabels, labels.ToArray());
        Assert.Equal([Batch, 1L], results["label"].Shape);
        Assert.Contains(true, expectedLabels[1..]);
        Assert.Contains(false, expectedLabels[1..]);
    }

    [Fact]
    public void Nan_inputs_are_imputed_per_feature_with_isnan_and_where()
    {
        float[] fill = [10f, -20f, 30f];
        var b = new OnnxGraphBuilder();
        var x = b.AddInput("X", OnnxElementType.Float, OnnxDim.Batch, 3);
        var missing = b.AddNode("IsNaN", [x]);
        b.AddNode("Where", [missing, b.AddInitializer("fill", fill, 3), x], ["imputed"]);
        b.AddOutput("imputed", OnnxElementType.Float, OnnxDim.Batch, 3);

        float[] xData = [1f, float.NaN, 3f, float.NaN, float.NaN, -6f, 7f, 8f, float.NaN, 0.5f, -0.5f, 2f];
        var result = OrtHarness.Run(b.Build("impute"), ("X", xData, [4, 3]))["imputed"];

        var expected = xData.Select((v, i) => float.IsNaN(v) ? fill[i % 3] : v).ToArray();
        Assert.Equal(expected, result.Floats);
    }

    [Fact]
    public void String_ints_floats_attributes_and_int64_initializers_reach_the_runtime()
    {
        const int Batch = 2;
        var b = new OnnxGraphBuilder();
        var x = b.AddInput("X", OnnxElementType.Float, OnnxDim.Batch, 3);
        // pads = [row_begin, col_begin, row_end, col_end]; "edge" repeats the border value.
        b.AddNode("Pad", [x, b.AddInitializer("pads", [0L, 1, 0, 2], 4)], ["padded"], OnnxAttribute.String("mode", "edge"));
        b.AddNode("Transpose", [x], ["transposed"], OnnxAttribute.Ints("perm", 1, 0));
        var offsets = b.AddNode("Constant", [], OnnxAttribute.Floats("value_floats", 100f, 200f, 300f));
        b.AddNode("Add", [x, offsets], ["shifted"]);
        b.AddNode("ReduceSum", [x, b.AddInitializer("axes", [-1L], 1)], ["row_sum"], OnnxAttribute.Int("keepdims", 1));
        b.AddOutput("padded", OnnxElementType.Float, OnnxDim.Batch, 6);
        b.AddOutput("transposed", OnnxElementType.Float, 3, OnnxDim.Batch);
        b.AddOutput("shifted", OnnxElementType.Float, OnnxDim.Batch, 3);
        b.AddOutput("row_sum", OnnxElementType.Float, OnnxDim.Batch, 1);

        float[] xData = [1f, 2f, 3f, 4f, 5f, 6f];
        var r = OrtHarness.Run(b.Build("attributes"), ("X", xData, [Batch, 3]));

        var padded = new List<float>();
        var transposed = new float[6];
        var rowSums = new float[Batch];
        for (var i = 0; i < Batch; i++)
        {
            var row = xData.AsSpan(i * 3, 3);
            padded.AddRange([row[0], row[0], row[1], row[2], row[2], row[2]]);
            for (var j = 0; j < 3; j++) transposed[j * Batch + i] = row[j];
            foreach (var v in row) rowSums[i] += v;
        }
        Assert.Equal(padded, r["padded"].Floats);
        Assert.Equal([Batch, 6L], r["padded"].Shape);
        Assert.Equal(transposed, r["transposed"].Floats);
        Assert.Equal([3L, Batch], r["transposed"].Shape);
        Assert.Equal(xData.Select((v, i) => v + 100f * (i % 3 + 1)), r["shifted"].Floats);
        Assert.Equal(rowSums, r["row_sum"].Floats);
    }
}
