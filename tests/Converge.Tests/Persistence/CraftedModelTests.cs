using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Converge.Persistence;
using Converge.Training;

namespace Converge.Tests.Persistence;

/// <summary>
/// Regression tests for issue 13, items 2, 3 and 8: crafted model files whose checksums are valid
/// (recomputed after the edit) must be refused with a <see cref="ModelFileException"/> before
/// anything is allocated, never load into NaN predictions or a crash.
/// </summary>
public sealed class CraftedModelTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"converge-crafted-{Guid.NewGuid():N}.safetensors");

    public void Dispose() => File.Delete(_path);

    private SafeTensorsContent SaveModel(bool scaler = true)
    {
        var x = new float[40];
        var y = new float[20];
        for (var i = 0; i < 20; i++)
        {
            x[2 * i] = i;
            x[2 * i + 1] = i % 3;
            y[i] = i >= 10 ? 1 : 0;
        }
        var options = new TrainingOptions { Epochs = 2, Hidden = [3], Normalize = scaler ? Normalization.Standard : Normalization.None };
        BinaryClassifier.Fit(x, y, 20, 2, options).Classifier.Save(_path);
        return SafeTensorsFile.Read(_path);
    }

    /// <summary>Writes the tensors and edited metadata back with both checksums recomputed, as a careful forger would.</summary>
    private void Write(IReadOnlyList<TensorEntry> tensors, Dictionary<string, string> metadata)
    {
        var builder = new StringBuilder();
        foreach (var key in metadata.Keys.Where(static k => !k.StartsWith("converge.", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
            builder.Append(key).Append('\0').Append(metadata[key]).Append('\0');
        metadata[ModelFile.MetadataChecksumKey] = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(builder.ToString())));
        SafeTensorsFile.Write(_path, tensors, metadata);
    }

    private void EditJson(string key, Action<JsonNode> edit, bool scaler = true)
    {
        var content = SaveModel(scaler);
        var metadata = new Dictionary<string, string>(content.Metadata);
        var node = JsonNode.Parse(metadata[key])!;
        edit(node);
        metadata[key] = node.ToJsonString();
        Write(content.Tensors, metadata);
    }

    private string Refused()
    {
        var e = Assert.Throws<ModelFileException>(() => BinaryClassifier.Load(_path));
        Assert.DoesNotContain('\n', e.Message);
        return e.Message;
    }

    [Fact]
    public void The_untouched_model_loads_so_the_forgery_helper_is_sound()
    {
        var content = SaveModel();
        Write(content.Tensors, new Dictionary<string, string>(content.Metadata));
        Assert.Equal(3, BinaryClassifier.Load(_path).Architecture.Hidden[0]);
    }

    [Fact]
    public void Swapping_two_tensor_names_in_the_header_is_detected()
    {
        var content = SaveModel();
        // Same shapes, so only the tensor table changes: "0.bias" (3) and "2.bias" (1) differ; swap the two weights' peers.
        var tensors = content.Tensors.ToList();
        var a = tensors.FindIndex(static t => t.Name == "0.bias");
        var b = tensors.FindIndex(static t => t.Name == "2.weight");
        (tensors[a], tensors[b]) = (tensors[b] with { Name = "0.bias" }, tensors[a] with { Name = "2.weight" });
        Write(tensors, new Dictionary<string, string>(content.Metadata));
        Refused();
    }

    [Fact]
    public void Reordering_tensors_of_equal_shape_is_detected()
    {
        // Two hidden layers of width 3: 1.bias and 3.bias... use [3,3] so 0.bias and 2.bias have the same shape.
        var x = new float[40];
        var y = new float[20];
        for (var i = 0; i < 20; i++) (x[2 * i], x[2 * i + 1], y[i]) = (i, i % 3, i >= 10 ? 1 : 0);
        BinaryClassifier.Fit(x, y, 20, 2, new TrainingOptions { Epochs = 2, Hidden = [3, 3] }).Classifier.Save(_path);
        var content = SafeTensorsFile.Read(_path);
        var tensors = content.Tensors.ToList();
        var a = tensors.FindIndex(static t => t.Name == "0.bias");
        var b = tensors.FindIndex(static t => t.Name == "2.bias");
        (tensors[a], tensors[b]) = (tensors[b], tensors[a]);
        Write(tensors, new Dictionary<string, string>(content.Metadata));
        Assert.Contains("tensor table", Refused(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(40000)]
    [InlineData(60000)]
    public void Huge_declared_hidden_widths_are_refused_before_allocation(int width)
    {
        EditJson("architecture", n => n["Hidden"] = new JsonArray(width, width));
        var before = GC.GetTotalAllocatedBytes();
        Refused();
        Assert.True(GC.GetTotalAllocatedBytes() - before < 100_000_000, "the loader allocated the declared network");
    }

    [Fact]
    public void A_weight_of_3e38_is_refused()
    {
        var content = SaveModel();
        var tensors = content.Tensors.Select(static t => t.Name == "0.weight" ? t with { Data = [.. t.Data.Select(static (v, i) => i == 0 ? 3e38f : v)] } : t).ToList();
        Write(tensors, new Dictionary<string, string>(content.Metadata));
        Assert.Contains("0.weight", Refused(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Scale", 1e-300)]
    [InlineData("Mean", 1e300)]
    public void Scaler_values_outside_float32_are_refused(string field, double value)
    {
        EditJson("scaler", n => n[field]![0] = value);
        Assert.Contains("scaler", Refused(), StringComparison.Ordinal);
    }

    [Fact]
    public void Equal_label_classes_are_refused()
    {
        EditJson("preprocessing", n => n["label"]!["positive"] = n["label"]!["negative"]!.GetValue<string>());
        Assert.Contains("two classes", Refused(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_column_kind_is_refused()
    {
        EditJson("preprocessing", n => n["columns"]![0]!["kind"] = 7);
        Assert.Contains("unknown kind", Refused(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_duplicate_vocabulary_entry_is_refused()
    {
        EditJson("preprocessing", n =>
        {
            n["columns"]![0] = new JsonObject { ["name"] = "f1", ["kind"] = "Categorical", ["vocabulary"] = new JsonArray("a", "a"), ["imputeCategory"] = "a" };
            n["featureNames"]![0] = "f1=a";
            n["featureNames"]![1] = "f1=a";
            n["columns"]![1] = new JsonObject { ["name"] = "f2", ["kind"] = "Dropped" };
        });
        Assert.Contains("twice", Refused(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_training_object_is_refused()
    {
        var content = SaveModel();
        var metadata = new Dictionary<string, string>(content.Metadata) { ["training"] = "{}" };
        Write(content.Tensors, metadata);
        Assert.Contains("incomplete", Refused(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_expected_state_matches_the_built_network_for_every_layout()
    {
        foreach (var spec in new[]
        {
            new NetworkSpec(3, [], Activation.Relu, false, false),
            new NetworkSpec(3, [4, 2], Activation.Tanh, true, true),
            new NetworkSpec(1, [5], Activation.Sigmoid, true, false),
        })
        {
            var built = spec.Build(new Converge.Tensors.Generator(0)).StateDict();
            Assert.Equal(built.Select(static kv => kv.Key), spec.ExpectedState().Select(static e => e.Name));
            Assert.Equal(built.Select(static kv => Converge.Tensors.Tensor.ShapeToString(kv.Value.Shape)),
                spec.ExpectedState().Select(static e => Converge.Tensors.Tensor.ShapeToString(e.Shape)));
            Assert.Equal(spec.Build(new Converge.Tensors.Generator(0)).ParameterCount(), spec.ParameterCount());
        }
    }
}
