using Converge.Export;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Converge.Tests.Export;

public partial class OnnxGraphBuilderTests
{
    private static OnnxGraphBuilder IdentityGraph(out string x)
    {
        var b = new OnnxGraphBuilder();
        x = b.AddInput("X", OnnxElementType.Float, OnnxDim.Batch, 3);
        return b;
    }

    [Fact]
    public void Node_referencing_an_unknown_value_throws_naming_it()
    {
        var b = IdentityGraph(out var x);
        var ex = Assert.Throws<ArgumentException>(() => b.AddNode("Add", [x, "W9"], ["y"]));
        Assert.Contains("'W9'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'Add_0'", ex.Message, StringComparison.Ordinal);
        Assert.False(b.IsDefined("y"));
    }

    [Fact]
    public void Duplicate_value_names_throw_naming_the_first_definition()
    {
        var b = IdentityGraph(out var x);
        b.AddInitializer("W", [1f, 2f, 3f], 3);
        var asInput = Assert.Throws<ArgumentException>(() => b.AddInput("W", OnnxElementType.Float, 3));
        Assert.Contains("'W' is already defined as an initializer", asInput.Message, StringComparison.Ordinal);
        var asInitializer = Assert.Throws<ArgumentException>(() => b.AddInitializer(x, [1f], 1));
        Assert.Contains("'X' is already defined as a graph input", asInitializer.Message, StringComparison.Ordinal);
        b.AddNode("Relu", [x], ["h"]);
        var asOutput = Assert.Throws<ArgumentException>(() => b.AddNode("Tanh", [x], ["h"]));
        Assert.Contains("'h' is already defined as the output of node 'Relu_0'", asOutput.Message, StringComparison.Ordinal);
        var twiceInOneNode = Assert.Throws<ArgumentException>(() => b.AddNode("Split", [x], ["a", "a"]));
        Assert.Contains("'a'", twiceInOneNode.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Output_declarations_must_name_defined_values_once()
    {
        var b = IdentityGraph(out var x);
        var unknown = Assert.Throws<ArgumentException>(() => b.AddOutput("nope", OnnxElementType.Float, OnnxDim.Batch, 3));
        Assert.Contains("'nope'", unknown.Message, StringComparison.Ordinal);
        var y = b.AddNode("Relu", [x]);
        b.AddOutput(y, OnnxElementType.Float, OnnxDim.Batch, 3);
        Assert.Throws<ArgumentException>(() => b.AddOutput(y, OnnxElementType.Float, OnnxDim.Batch, 3));
    }

    [Fact]
    public void Bad_initializers_attributes_and_empty_graphs_throw_before_writing()
    {
        var b = IdentityGraph(out var x);
        var shape = Assert.Throws<ArgumentException>(() => b.AddInitializer("W", [1f, 2f, 3f], 2, 2));
        Assert.Contains("3 values but dims [2, 2] hold 4", shape.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => b.AddInitializer("V", ReadOnlySpan<float>.Empty, -1));
        var attrs = Assert.Throws<ArgumentException>(() =>
            b.AddNode("LeakyRelu", [x], ["y"], OnnxAttribute.Float("alpha", 0.1f), OnnxAttribute.Float("alpha", 0.2f)));
        Assert.Contains("attribute 'alpha' twice", attrs.Message, StringComparison.Ordinal);
        var noOutputs = Assert.Throws<InvalidOperationException>(() => b.Build("g"));
        Assert.Contains("no outputs", noOutputs.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => b.AddInput("Z", OnnxElementType.Float, default(OnnxDim)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new OnnxGraphBuilder(new OnnxExportOptions { OpsetVersion = 11 }));
    }

    [Fact]
    public void FreshName_never_repeats_or_collides_with_defined_values()
    {
        var b = IdentityGraph(out _);
        string[] names = [b.FreshName("X"), b.FreshName("h"), b.FreshName("h"), b.FreshName("h")];
        Assert.Equal(names.Length, names.Distinct(StringComparer.Ordinal).Count());
        Assert.DoesNotContain("X", names);
        b.AddInitializer(names[1], [1f]);
        Assert.True(b.IsDefined(names[1]));
    }

    [Fact]
    public void Model_metadata_and_symbolic_batch_dim_are_visible_to_onnx_runtime()
    {
        var b = IdentityGraph(out var x);
        var above = b.AddNode("Greater", [x, b.AddInitializer("zero", [0f])]);
        b.AddNode("Cast", [above], ["label"], OnnxAttribute.ElementType("to", OnnxElementType.Int64));
        b.AddOutput("label", OnnxElementType.Int64, OnnxDim.Batch, 3);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal) { ["features"] = "a,b,c", ["threshold"] = "0.5" };

        using var session = new InferenceSession(b.Build("labels", metadata));

        Assert.Equal(OnnxExportOptions.ProducerName, session.ModelMetadata.ProducerName);
        Assert.Equal("labels", session.ModelMetadata.GraphName);
        Assert.Equal(metadata, session.ModelMetadata.CustomMetadataMap);
        var input = session.InputMetadata["X"];
        Assert.Equal([-1, 3], input.Dimensions);
        Assert.Equal("batch", input.SymbolicDimensions[0]);
        Assert.Equal(TensorElementType.Float, input.ElementDataType);
        Assert.Equal(TensorElementType.Int64, session.OutputMetadata["label"].ElementDataType);
        var labels = OrtHarness.Run(session, ("X", [-1f, 0f, 2f], [1, 3]))["label"];
        Assert.Equal([0L, 0L, 1L], labels.Int64s);
    }

    [Fact]
    public void Build_is_deterministic_and_save_replaces_the_file_atomically()
    {
        var b = IdentityGraph(out var x);
        b.AddOutput(b.AddNode("Relu", [x]), OnnxElementType.Float, OnnxDim.Batch, 3);
        var meta = new Dictionary<string, string>(StringComparer.Ordinal) { ["b"] = "2", ["a"] = "1" };
        var bytes = b.Build("relu", meta);
        Assert.Equal(bytes, b.Build("relu", meta));

        var dir = Directory.CreateTempSubdirectory("converge-onnx-");
        try
        {
            var path = Path.Combine(dir.FullName, "model.onnx");
            File.WriteAllText(path, "stale");
            b.Save(path, "relu", meta);
            Assert.Equal(bytes, File.ReadAllBytes(path));
            Assert.Equal(["model.onnx"], dir.GetFiles().Select(f => f.Name));
            using var session = new InferenceSession(path);
            Assert.Equal([0f, 0f, 2f], OrtHarness.Run(session, ("X", [-1f, 0f, 2f], [1, 3]))[session.OutputNames[0]].Floats);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
