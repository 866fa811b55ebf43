using System.Security.Cryptography;
using Converge.Persistence;
using Ref = Converge.Tests.Persistence.IndependentSafeTensorsReader;

namespace Converge.Tests.Persistence;

public sealed partial class SafeTensorsFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("converge-persist-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // Values chosen so that only a bit-exact round trip passes: signed zero, subnormal, NaN payload, infinities.
    private static readonly float[] Awkward =
    [
        1.5f, -0.0f, float.Epsilon, BitConverter.Int32BitsToSingle(0x7FC0_1234), float.PositiveInfinity,
        float.NegativeInfinity, float.MaxValue, -1e-30f, MathF.PI, 0.1f, -7f, 3e38f,
    ];

    private static List<TensorEntry> SampleTensors() =>
    [
        new("0.weight", [3, 4], Awkward),
        new("0.bias", [3], [0.25f, -0.5f, 1e-8f]),
        new("1.scale", [], [2.0f]),
        new("empty", [0, 5], []),
        TensorEntry.FromInt64("1.num_batches_tracked", [], [long.MaxValue - 3]),
        new("héllo \"quoted\" / ünïcode", [1, 1], [42f]),
    ];

    private static readonly Dictionary<string, string> SampleMetadata = new()
    {
        ["format"] = "pt",
        ["converge.architecture"] = "{\"layers\":[4,3]} ✓",
    };

    private string PathOf(string name) => Path.Combine(_dir, name);

    private static void AssertBitEqual(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
            Assert.Equal(BitConverter.SingleToInt32Bits(expected[i]), BitConverter.SingleToInt32Bits(actual[i]));
    }

    [Fact]
    public void Round_trip_keeps_names_shapes_bit_exact_values_and_metadata()
    {
        var tensors = SampleTensors();
        var path = PathOf("model.safetensors");
        SafeTensorsFile.Write(path, tensors, SampleMetadata);
        var read = SafeTensorsFile.Read(path);

        Assert.Equal(tensors.Count, read.Tensors.Count);
        foreach (var expected in tensors)
        {
            var actual = read.Find(expected.Name);
            Assert.NotNull(actual);
            Assert.Equal(expected.Shape, actual.Shape);
            Assert.Equal(expected.DType, actual.DType);
            AssertBitEqual(expected.Data, actual.Data);
            Assert.Equal(expected.Int64Data, actual.Int64Data);
        }
        foreach (var (key, value) in SampleMetadata) Assert.Equal(value, read.Metadata[key]);
        Assert.Equal(SampleMetadata.Count + 1, read.Metadata.Count);
        Assert.StartsWith("sha256:", read.Metadata[SafeTensorsFile.ChecksumKey], StringComparison.Ordinal);
    }

    [Fact]
    public void Independent_reader_sees_the_same_tensors_and_a_header_padded_to_8_bytes()
    {
        var tensors = SampleTensors();
        var bytes = SafeTensorsFile.ToBytes(tensors, SampleMetadata);
        var parsed = Ref.Parse(bytes);

        Assert.Equal(0UL, parsed.HeaderLength % 8);
        Assert.Equal(tensors.Select(t => t.Name).Order(StringComparer.Ordinal), parsed.Tensors.Select(t => t.Name).Order(StringComparer.Ordinal));
        foreach (var t in parsed.Tensors)
        {
            var expected = tensors.Single(e => e.Name == t.Name);
            Assert.Equal(expected.Shape, t.Shape);
            if (expected.Int64Data is { } longs)
            {
                Assert.Equal("I64", t.DType);
                Assert.Equal(longs, t.Longs);
                Assert.Equal(0, t.Begin % 8);
            }
            else
            {
                Assert.Equal("F32", t.DType);
                AssertBitEqual(expected.Data, t.Floats);
            }
        }
        var expectedChecksum = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(parsed.DataSection));
        Assert.Equal(expectedChecksum, parsed.Metadata[SafeTensorsFile.ChecksumKey]);
        Assert.Equal(SampleMetadata["converge.architecture"], parsed.Metadata["converge.architecture"]);
    }

    [Fact]
    public void Output_is_deterministic_and_keeps_float_tensors_in_the_given_order()
    {
        var reversed = new Dictionary<string, string>();
        foreach (var (key, value) in SampleMetadata.Reverse()) reversed[key] = value;
        var a = SafeTensorsFile.ToBytes(SampleTensors(), SampleMetadata);
        var b = SafeTensorsFile.ToBytes(SampleTensors(), reversed);
        Assert.Equal(a, b);

        var floats = SampleTensors().Where(t => t.DType == SafeTensorsDType.F32).Reverse().ToList();
        var read = SafeTensorsFile.FromBytes(SafeTensorsFile.ToBytes(floats), "mem");
        Assert.Equal(floats.Select(t => t.Name), read.Tensors.Select(t => t.Name));
    }

    [Fact]
    public void A_caller_supplied_checksum_is_replaced_by_the_computed_one()
    {
        var metadata = new Dictionary<string, string> { [SafeTensorsFile.ChecksumKey] = "sha256:" + new string('0', 64) };
        var bytes = SafeTensorsFile.ToBytes(SampleTensors(), metadata);
        var parsed = Ref.Parse(bytes);
        Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData(parsed.DataSection)), parsed.Metadata[SafeTensorsFile.ChecksumKey]);
        SafeTensorsFile.FromBytes(bytes, "mem");
    }

    [Fact]
    public void A_foreign_writers_file_without_checksum_reads_only_when_the_checksum_is_optional()
    {
        // Header in reverse offset order, unpadded, without metadata: valid safetensors all the same.
        var data = new byte[12];
        BitConverter.GetBytes(1.25f).CopyTo(data, 0);
        BitConverter.GetBytes(-3.5f).CopyTo(data, 4);
        BitConverter.GetBytes(8f).CopyTo(data, 8);
        var file = Ref.Build("""{"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", data);

        var ex = Assert.Throws<ModelFileException>(() => SafeTensorsFile.FromBytes(file, "foreign.safetensors"));
        Assert.Contains("converge.checksum", ex.Message, StringComparison.Ordinal);

        var read = SafeTensorsFile.FromBytes(file, "foreign.safetensors", requireChecksum: false);
        Assert.Equal(["a", "b"], read.Tensors.Select(t => t.Name));
        Assert.Equal([1.25f, -3.5f], read.Tensors[0].Data);
        Assert.Equal([8f], read.Tensors[1].Data);
        Assert.Empty(read.Metadata);
    }

    [Fact]
    public void Invalid_tensors_are_rejected_with_ArgumentException()
    {
        Assert.Throws<ArgumentException>(() => SafeTensorsFile.ToBytes([new("w", [2, 3], new float[5])]));
        Assert.Throws<ArgumentException>(() => SafeTensorsFile.ToBytes([new("w", [-1], [])]));
        Assert.Throws<ArgumentException>(() => SafeTensorsFile.ToBytes([new("", [1], [1f])]));
        Assert.Throws<ArgumentException>(() => SafeTensorsFile.ToBytes([new("__metadata__", [1], [1f])]));
        Assert.Throws<ArgumentException>(() => SafeTensorsFile.ToBytes([new("w", [1], [1f]), new("w", [1], [2f])]));
        Assert.Throws<ArgumentException>(() => SafeTensorsFile.ToBytes([new TensorEntry("w", [1], [1f]) { Int64Data = [1] }]));
        Assert.Throws<ArgumentException>(() => SafeTensorsFile.ToBytes([new("w", [65536, 65536], [])]));
    }

    [Fact]
    public void A_failed_write_leaves_the_old_file_intact_and_no_temporary_file()
    {
        var path = PathOf("model.safetensors");
        SafeTensorsFile.Write(path, SampleTensors(), SampleMetadata);
        var before = File.ReadAllBytes(path);

        var bad = SampleTensors();
        bad.Add(new TensorEntry("bad", [2, 2], [1f, 2f, 3f]));
        Assert.Throws<ArgumentException>(() => SafeTensorsFile.Write(path, bad, SampleMetadata));

        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(_dir));
    }

    [Fact]
    public void A_write_the_file_system_refuses_is_a_ModelFileException_and_leaves_no_temporary_file()
    {
        var target = Directory.CreateDirectory(PathOf("a-directory")).FullName;
        var ex = Assert.Throws<ModelFileException>(() => SafeTensorsFile.Write(target, SampleTensors()));
        Assert.Contains(target, ex.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_dir));

        var missingDir = Path.Combine(_dir, "no", "such", "dir", "m.safetensors");
        Assert.Throws<ModelFileException>(() => SafeTensorsFile.Write(missingDir, SampleTensors()));
        Assert.Empty(Directory.GetFiles(_dir, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public void Overwriting_replaces_the_content_and_leaves_only_the_target()
    {
        var path = PathOf("m.safetensors");
        SafeTensorsFile.Write(path, SampleTensors());
        SafeTensorsFile.Write(path, [new("only", [2], [7f, 8f])]);
        var read = SafeTensorsFile.Read(path);
        Assert.Equal("only", Assert.Single(read.Tensors).Name);
        Assert.Equal([path], Directory.GetFiles(_dir));
    }
}
