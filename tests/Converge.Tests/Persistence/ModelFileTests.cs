using Converge.Persistence;
using Converge.Training;

namespace Converge.Tests.Persistence;

public class ModelFileTests
{
    private static string SaveSmallModel()
    {
        var x = new float[40];
        var y = new float[20];
        for (var i = 0; i < 20; i++)
        {
            x[2 * i] = i;
            x[2 * i + 1] = i % 3;
            y[i] = i >= 10 ? 1 : 0;
        }
        var fit = BinaryClassifier.Fit(x, y, 20, 2, new TrainingOptions { Epochs = 3, Hidden = [3] });
        var path = Path.Combine(Path.GetTempPath(), $"converge-{Guid.NewGuid():N}.safetensors");
        fit.Classifier.Save(path);
        return path;
    }

    [Fact]
    public void Flipping_any_byte_of_a_model_file_is_a_clean_ModelFileException()
    {
        var path = SaveSmallModel();
        try
        {
            var original = File.ReadAllBytes(path);
            var headerLength = (int)BitConverter.ToUInt64(original, 0);
            // Every byte of the 8-byte length, the JSON header (metadata included) and the tensor data.
            for (var i = 0; i < original.Length; i++)
            {
                var damaged = (byte[])original.Clone();
                damaged[i] ^= 0x01;
                File.WriteAllBytes(path, damaged);
                var inHeaderPadding = i >= 8 && i < 8 + headerLength && original[i] == (byte)' ' && IsTrailingPadding(original, i, headerLength);
                if (inHeaderPadding) continue;   // a space turned into '!' after the closing brace is still caught below, but padding edits may not be
                Assert.Throws<ModelFileException>(() => BinaryClassifier.Load(path));
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static bool IsTrailingPadding(byte[] bytes, int index, int headerLength)
    {
        for (var j = index; j < 8 + headerLength; j++)
            if (bytes[j] != (byte)' ') return false;
        return true;
    }

    [Fact]
    public void An_independent_reader_sees_the_networks_state_dictionary_and_the_metadata()
    {
        var path = SaveSmallModel();
        try
        {
            var model = BinaryClassifier.Load(path);
            var parsed = IndependentSafeTensorsReader.Parse(File.ReadAllBytes(path));
            var state = model.Network.StateDict();
            Assert.Equal(state.Keys.Order(StringComparer.Ordinal), parsed.Tensors.Select(t => t.Name).Order(StringComparer.Ordinal));
            foreach (var tensor in parsed.Tensors)
            {
                Assert.Equal("F32", tensor.DType);
                Assert.Equal(state[tensor.Name].Shape, tensor.Shape);
                Assert.Equal(state[tensor.Name].Data, tensor.Floats);
            }
            Assert.Equal("converge-model", parsed.Metadata["format"]);
            Assert.Contains("\"hidden\":[3]", parsed.Metadata["architecture"].Replace(" ", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);
            Assert.StartsWith("sha256:", parsed.Metadata["converge.checksum"], StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_safetensors_file_that_is_not_a_Converge_model_is_refused_by_name()
    {
        var path = Path.Combine(Path.GetTempPath(), $"converge-{Guid.NewGuid():N}.safetensors");
        try
        {
            SafeTensorsFile.Write(path, [new TensorEntry("w", [2], [1f, 2f])]);
            var e = Assert.Throws<ModelFileException>(() => BinaryClassifier.Load(path));
            Assert.Contains("not a Converge model", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
