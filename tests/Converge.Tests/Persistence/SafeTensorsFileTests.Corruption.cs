using System.Text;
using Converge.Persistence;
using Ref = Converge.Tests.Persistence.IndependentSafeTensorsReader;

namespace Converge.Tests.Persistence;

public sealed partial class SafeTensorsFileTests
{
    private static byte[] ValidFile() => SafeTensorsFile.ToBytes(SampleTensors(), SampleMetadata);

    private static int DataStart(byte[] file) => 8 + (int)Ref.Parse(file).HeaderLength;

    /// <summary>Reads the bytes and returns null on success, the message on a ModelFileException; any other exception fails the test.</summary>
    private static string? TryRead(byte[] bytes, string name = "m.safetensors")
    {
        try
        {
            SafeTensorsFile.FromBytes(bytes, name);
            return null;
        }
        catch (ModelFileException ex)
        {
            Assert.DoesNotContain('\n', ex.Message);
            Assert.Contains(name, ex.Message, StringComparison.Ordinal);
            return ex.Message;
        }
    }

    [Fact]
    public void A_missing_file_is_named_in_the_error()
    {
        var path = PathOf("nope.safetensors");
        var ex = Assert.Throws<ModelFileException>(() => SafeTensorsFile.Read(path));
        Assert.Equal($"{path} was not found.", ex.Message);
        Assert.Throws<ModelFileException>(() => SafeTensorsFile.Read(Path.Combine(_dir, "no-dir", "x.safetensors")));
    }

    [Fact]
    public void Every_truncation_is_a_ModelFileException()
    {
        var file = ValidFile();
        var dataStart = DataStart(file);
        for (var length = 0; length < file.Length; length++)
        {
            var message = TryRead(file[..length]);
            Assert.NotNull(message);
            if (length > 8 && length <= dataStart)
                Assert.Contains("truncated", message, StringComparison.Ordinal);
        }
        foreach (var length in new[] { 0, 5, 8, 20, dataStart, file.Length - 1 })
        {
            var path = PathOf($"cut{length}.safetensors");
            File.WriteAllBytes(path, file[..length]);
            var ex = Assert.Throws<ModelFileException>(() => SafeTensorsFile.Read(path));
            Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Flipping_any_tensor_data_byte_is_a_checksum_mismatch()
    {
        var file = ValidFile();
        for (var i = DataStart(file); i < file.Length; i++)
        {
            var copy = (byte[])file.Clone();
            copy[i] ^= (byte)(1 << (i % 8));
            var message = TryRead(copy);
            Assert.NotNull(message);
            Assert.Contains("is corrupted: checksum mismatch (expected sha256:", message, StringComparison.Ordinal);
            Assert.Contains(", got sha256:", message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Flipping_any_header_byte_is_a_clean_ModelFileException_unless_it_only_renames_or_reshapes_an_empty_tensor()
    {
        var file = ValidFile();
        var dataStart = DataStart(file);
        var original = SafeTensorsFile.FromBytes(file, "m").Tensors;
        var insideString = StringContentMask(file.AsSpan(8, dataStart - 8));
        var survivors = 0;
        for (var i = 0; i < dataStart; i++)
        {
            var copy = (byte[])file.Clone();
            copy[i] ^= 0x01;
            if (TryRead(copy) is null)
            {
                // Names, metadata values and the shape of an empty tensor are outside the checksum;
                // any other accepted flip would be a silent change of the model.
                survivors++;
                if (i >= 8 && insideString[i - 8]) continue;
                var changed = SafeTensorsFile.FromBytes(copy, "m").Tensors;
                Assert.Equal(original.Count, changed.Count);
                for (var t = 0; t < original.Count; t++)
                {
                    AssertBitEqual(original[t].Data, changed[t].Data);
                    Assert.Equal(original[t].Int64Data, changed[t].Int64Data);
                    if (original[t].Data.Length + (original[t].Int64Data?.Length ?? 0) > 0)
                        Assert.Equal(original[t].Shape, changed[t].Shape);
                }
            }
        }
        Assert.True(survivors < dataStart / 2, $"{survivors} of {dataStart} header flips went unnoticed");
    }

    /// <summary>For each header byte, whether it lies between the quotes of a JSON string.</summary>
    private static bool[] StringContentMask(ReadOnlySpan<byte> header)
    {
        var mask = new bool[header.Length];
        var inString = false;
        for (var i = 0; i < header.Length; i++)
        {
            if (inString && header[i] == (byte)'\\')
            {
                mask[i] = mask[i + 1] = true;
                i++;
            }
            else if (header[i] == (byte)'"') inString = !inString;
            else mask[i] = inString;
        }
        return mask;
    }

    [Theory]
    [InlineData("png", new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52 })]
    [InlineData("csv", new byte[] { (byte)'a', (byte)',', (byte)'b', (byte)'\n', (byte)'1', (byte)',', (byte)'2', (byte)'\n', (byte)'3', (byte)',', (byte)'4', (byte)'\n' })]
    [InlineData("json", new byte[] { (byte)'{', (byte)'"', (byte)'a', (byte)'"', (byte)':', (byte)'1', (byte)'}', (byte)'\n', (byte)' ' })]
    [InlineData("short", new byte[] { 1, 2, 3 })]
    [InlineData("empty", new byte[0])]
    public void A_foreign_file_is_not_a_Converge_model_file(string kind, byte[] content)
    {
        var path = PathOf($"thing.{kind}");
        File.WriteAllBytes(path, content);
        var ex = Assert.Throws<ModelFileException>(() => SafeTensorsFile.Read(path));
        Assert.StartsWith(path + " is ", ex.Message, StringComparison.Ordinal);
        Assert.Contains("not a Converge model file", ex.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, int, string> BadHeaders => new()
    {
        { """{"w":{"shape":[1],"data_offsets":[0,4]}}""", 4, "has no \"dtype\"" },
        { """{"w":{"dtype":"F32","data_offsets":[0,4]}}""", 4, "has no \"shape\"" },
        { """{"w":{"dtype":"F32","shape":[1]}}""", 4, "has no \"data_offsets\"" },
        { """{"w":{"dtype":"F32","shape":[1],"data_offsets":[0]}}""", 4, "has no \"data_offsets\"" },
        { """{"w":{"dtype":"BF16","shape":[2],"data_offsets":[0,4]}}""", 4, "dtype 'BF16', which Converge cannot read" },
        { """{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}""", 4, "needs 8 bytes but data_offsets [0, 4] hold 4" },
        { """{"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}""", 4, "not a dimension" },
        { """{"w":{"dtype":"F32","shape":[1.5],"data_offsets":[0,4]}}""", 4, "not a dimension" },
        { """{"w":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}}""", 4, "run backwards" },
        { """{"w":{"dtype":"F32","shape":[1],"data_offsets":[-4,0]}}""", 4, "not a byte position" },
        { """{"w":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", 4, "ends at byte 8 of a 4-byte data section" },
        { """{"w":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", 8, "4 bytes before tensor 'w' belong to no tensor" },
        { """{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", 8, "last 4 bytes of the 8-byte data section" },
        { """{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", 8, "tensors 'a' and 'b' overlap" },
        { """{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", 4, "names 'w' twice" },
        { """{"w":[1,2]}""", 4, "is not described by a JSON object" },
        { """{"__metadata__":{"k":1},"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", 4, "metadata 'k' is not a string" },
        { """{"__metadata__":[],"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", 4, "__metadata__ is not a JSON object" },
        { """{"__metadata__":{"converge.checksum":"md5:abc"}}""", 0, "converge.checksum is malformed" },
        { """{"\ud800":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", 4, "not valid JSON" },
        { """{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}""", 4, "not valid JSON" },
        { "{\"w\":\n{}}", 4, "has no \"dtype\"" },
    };

    [Theory]
    [MemberData(nameof(BadHeaders))]
    public void A_bad_header_names_the_problem(string header, int dataLength, string expected)
    {
        var message = TryRead(Ref.Build(header, new byte[dataLength]));
        Assert.NotNull(message);
        Assert.Contains(expected, message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_header_that_is_not_UTF8_is_corrupted()
    {
        var header = Encoding.UTF8.GetBytes("""{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""");
        header[2] = 0xFF;
        var message = TryRead(Ref.Build(header, new byte[4]));
        Assert.Contains("not valid UTF-8", message, StringComparison.Ordinal);
    }

    private const string JsonPunctuation = "{}[],:\"0123456789-.eE \\";

    [Fact]
    public void Fuzzed_bytes_only_ever_raise_ModelFileException()
    {
        var random = new Random(20240611);
        var valid = ValidFile();
        var dataStart = DataStart(valid);
        for (var iteration = 0; iteration < 600; iteration++)
        {
            byte[] bytes;
            switch (iteration % 4)
            {
                case 0:
                    bytes = new byte[random.Next(0, 200)];
                    random.NextBytes(bytes);
                    break;
                case 1:
                    // Random header bytes behind a plausible prefix, to get past the first checks.
                    bytes = new byte[random.Next(10, 200)];
                    random.NextBytes(bytes);
                    BitConverter.TryWriteBytes(bytes, (ulong)random.Next(2, bytes.Length - 8));
                    bytes[8] = (byte)'{';
                    break;
                case 2:
                    bytes = (byte[])valid.Clone();
                    for (var k = random.Next(1, 5); k > 0; k--)
                        bytes[random.Next(8, dataStart)] = (byte)random.Next(256);
                    break;
                default:
                    bytes = (byte[])valid.Clone();
                    var at = random.Next(8, dataStart);
                    bytes[at] = (byte)JsonPunctuation[random.Next(JsonPunctuation.Length)];
                    if (random.Next(2) == 0) bytes = bytes[..random.Next(bytes.Length)];
                    break;
            }
            TryRead(bytes, "fuzz.safetensors");
        }
    }
}
