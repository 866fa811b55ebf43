using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Converge.Persistence;

public static partial class SafeTensorsFile
{
    /// <summary>The largest header accepted: the reference implementation's limit.</summary>
    public const int MaxHeaderBytes = 100_000_000;

    private readonly record struct Spec(string Name, SafeTensorsDType DType, int[] Shape, long Begin, long End);

    /// <summary>
    /// Reads and validates a safetensors file. Every problem (missing, foreign, truncated,
    /// malformed header, bad offsets, unsupported dtype, checksum) is a <see cref="ModelFileException"/>.
    /// </summary>
    /// <param name="path">The file to read; its text as given names the file in error messages.</param>
    /// <param name="requireChecksum">
    /// Whether a file without <c>converge.checksum</c> is rejected. A checksum that is present is
    /// always verified.
    /// </param>
    public static SafeTensorsContent Read(string path, bool requireChecksum = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        switch (FileIdentity.KindOf(path))
        {
            case FileKind.Directory: throw new ModelFileException($"{path} is a directory, not a model file.");
            // Opening a FIFO blocks until a writer appears; a device never ends.
            case FileKind.Special: throw new ModelFileException($"{path} is a device, FIFO or socket, not a model file.");
        }
        byte[] bytes;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            var length = stream.Length;
            // Check the prefix first so that a large foreign file is rejected without reading it.
            Span<byte> prefix = stackalloc byte[9];
            var got = stream.ReadAtLeast(prefix, (int)Math.Min(prefix.Length, length), throwOnEndOfStream: false);
            CheckPrefix(prefix[..got], length, path);
            if (length > Array.MaxLength)
                throw new ModelFileException($"{path} is too large to be a Converge model file ({length} bytes).");
            bytes = new byte[length];
            stream.Position = 0;
            stream.ReadExactly(bytes);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ModelFileException($"{path} was not found.", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ModelFileException($"Cannot read {path}: {ex.Message}", ex);
        }
        return Parse(bytes, path, requireChecksum);
    }

    /// <summary>Parses and validates bytes laid out as by <see cref="ToBytes"/>.</summary>
    /// <param name="bytes">The whole file.</param>
    /// <param name="sourceName">What error messages call the bytes, e.g. a file or resource name.</param>
    /// <param name="requireChecksum">As in <see cref="Read"/>.</param>
    public static SafeTensorsContent FromBytes(ReadOnlySpan<byte> bytes, string sourceName, bool requireChecksum = true)
    {
        ArgumentNullException.ThrowIfNull(sourceName);
        return Parse(bytes, sourceName, requireChecksum);
    }

    private static SafeTensorsContent Parse(ReadOnlySpan<byte> bytes, string source, bool requireChecksum)
    {
        CheckPrefix(bytes[..Math.Min(9, bytes.Length)], bytes.Length, source);
        var headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        var header = bytes.Slice(8, headerLength);
        var data = bytes[(8 + headerLength)..];

        var (specs, metadata) = ParseHeader(header, source);
        CheckLayout(specs, data.Length, source);
        VerifyChecksum(data, metadata, source, requireChecksum);

        var tensors = new TensorEntry[specs.Count];
        for (var i = 0; i < specs.Count; i++)
            tensors[i] = Decode(specs[i], data[(int)specs[i].Begin..(int)specs[i].End]);
        return new SafeTensorsContent(tensors, metadata);
    }

    private static void CheckPrefix(ReadOnlySpan<byte> start, long fileLength, string source)
    {
        if (fileLength == 0)
            throw new ModelFileException($"{source} is empty, not a Converge model file.");
        if (fileLength < 8)
            throw new ModelFileException($"{source} is not a Converge model file (not in safetensors format: only {fileLength} bytes).");
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(start);
        // The header is a JSON object, so it is at least "{}" and starts with '{'.
        if (headerLength > MaxHeaderBytes || headerLength < 2 || (start.Length > 8 && start[8] != (byte)'{'))
            throw new ModelFileException($"{source} is not a Converge model file (not in safetensors format).");
        if (8 + (long)headerLength > fileLength)
            throw new ModelFileException($"{source} is truncated: its header needs {headerLength} bytes but only {fileLength - 8} follow the length prefix.");
    }

    private static (List<Spec> Specs, Dictionary<string, string> Metadata) ParseHeader(ReadOnlySpan<byte> header, string source)
    {
        if (!Utf8.IsValid(header))
            throw Corrupted(source, "its header is not valid UTF-8");
        var specs = new List<Spec>();
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            using var document = JsonDocument.Parse(header.ToArray());
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw Corrupted(source, "its header is not a JSON object");
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                    throw Corrupted(source, $"the header names {Quote(property.Name)} twice");
                if (string.Equals(property.Name, MetadataKey, StringComparison.Ordinal))
                    ReadMetadata(property.Value, metadata, source);
                else
                    specs.Add(ReadSpec(property.Name, property.Value, source));
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: JSON that parses but holds strings .NET cannot decode.
            throw Corrupted(source, $"its header is not valid JSON ({OneLine(ex.Message)})", ex);
        }
        return (specs, metadata);
    }

    private static void ReadMetadata(JsonElement value, Dictionary<string, string> metadata, string source)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw Corrupted(source, $"{MetadataKey} is not a JSON object");
        foreach (var entry in value.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.String)
                throw Corrupted(source, $"metadata {Quote(entry.Name)} is not a string");
            if (!metadata.TryAdd(entry.Name, entry.Value.GetString()!))
                throw Corrupted(source, $"metadata {Quote(entry.Name)} appears twice");
        }
    }

    private static Spec ReadSpec(string name, JsonElement value, string source)
    {
        var what = $"tensor {Quote(name)}";
        if (value.ValueKind != JsonValueKind.Object)
            throw Corrupted(source, $"{what} is not described by a JSON object");
        if (!value.TryGetProperty("dtype", out var dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String)
            throw Corrupted(source, $"{what} has no \"dtype\" string");
        if (!value.TryGetProperty("shape", out var shapeElement) || shapeElement.ValueKind != JsonValueKind.Array)
            throw Corrupted(source, $"{what} has no \"shape\" array");
        if (!value.TryGetProperty("data_offsets", out var offsetsElement) || offsetsElement.ValueKind != JsonValueKind.Array
            || offsetsElement.GetArrayLength() != 2)
            throw Corrupted(source, $"{what} has no \"data_offsets\" pair");

        var dtypeName = dtypeElement.GetString()!;
        SafeTensorsDType dtype;
        if (string.Equals(dtypeName, "F32", StringComparison.Ordinal)) dtype = SafeTensorsDType.F32;
        else if (string.Equals(dtypeName, "I64", StringComparison.Ordinal)) dtype = SafeTensorsDType.I64;
        else throw new ModelFileException($"{source} holds {what} of dtype {Quote(dtypeName)}, which Converge cannot read (it reads F32 and I64).");

        var shape = new int[shapeElement.GetArrayLength()];
        long count = 1;
        var d = 0;
        foreach (var dim in shapeElement.EnumerateArray())
        {
            if (dim.ValueKind != JsonValueKind.Number || !dim.TryGetInt32(out shape[d]) || shape[d] < 0)
                throw Corrupted(source, $"{what} has a shape entry that is not a dimension: {OneLine(dim.GetRawText())}");
            count = Math.Min(count * shape[d], (long)int.MaxValue + 1);
            d++;
        }

        var begin = ReadOffset(offsetsElement[0], what, source);
        var end = ReadOffset(offsetsElement[1], what, source);
        if (begin > end)
            throw Corrupted(source, $"{what} has data_offsets [{begin}, {end}] that run backwards");
        if (count * ElementSize(dtype) != end - begin)
            throw Corrupted(source, $"{what} of dtype {dtypeName} and shape {ShapeText(shape)} needs {count * ElementSize(dtype)} bytes but data_offsets [{begin}, {end}] hold {end - begin}");
        return new Spec(name, dtype, shape, begin, end);
    }

    private static long ReadOffset(JsonElement element, string what, string source)
    {
        if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt64(out var offset) || offset < 0)
            throw Corrupted(source, $"{what} has a data offset that is not a byte position: {OneLine(element.GetRawText())}");
        return offset;
    }

    private static void CheckLayout(List<Spec> specs, int dataLength, string source)
    {
        // File order; ties (empty tensors) keep header order so the result is deterministic.
        var order = specs.Select((spec, index) => (spec, index))
            .OrderBy(p => p.spec.Begin).ThenBy(p => p.spec.End).ThenBy(p => p.index)
            .Select(p => p.spec).ToList();
        specs.Clear();
        specs.AddRange(order);

        long expected = 0;
        for (var i = 0; i < specs.Count; i++)
        {
            var spec = specs[i];
            if (spec.End > dataLength)
                throw Corrupted(source, $"tensor {Quote(spec.Name)} ends at byte {spec.End} of a {dataLength}-byte data section (is the file truncated?)");
            if (spec.Begin < expected)
                throw Corrupted(source, $"tensors {Quote(specs[i - 1].Name)} and {Quote(spec.Name)} overlap");
            if (spec.Begin > expected)
                throw Corrupted(source, $"{spec.Begin - expected} bytes before tensor {Quote(spec.Name)} belong to no tensor");
            expected = spec.End;
        }
        if (expected != dataLength)
            throw Corrupted(source, $"the last {dataLength - expected} bytes of the {dataLength}-byte data section belong to no tensor");
    }

    private static void VerifyChecksum(ReadOnlySpan<byte> data, Dictionary<string, string> metadata, string source, bool requireChecksum)
    {
        if (!metadata.TryGetValue(ChecksumKey, out var stored))
        {
            if (requireChecksum)
                throw new ModelFileException($"{source} is not a Converge model file: its metadata has no {ChecksumKey}.");
            return;
        }
        if (!stored.StartsWith(ChecksumPrefix, StringComparison.Ordinal) || stored.Length != ChecksumPrefix.Length + 64
            || !stored[ChecksumPrefix.Length..].All(char.IsAsciiHexDigit))
            throw Corrupted(source, $"its {ChecksumKey} is malformed: {Quote(stored)}");
        var actual = ChecksumPrefix + Convert.ToHexStringLower(SHA256.HashData(data));
        if (!string.Equals(stored, actual, StringComparison.OrdinalIgnoreCase))
            throw Corrupted(source, $"checksum mismatch (expected {stored}, got {actual})");
    }

    private static TensorEntry Decode(Spec spec, ReadOnlySpan<byte> bytes)
    {
        if (spec.DType == SafeTensorsDType.I64)
        {
            var longs = new long[bytes.Length / 8];
            for (var i = 0; i < longs.Length; i++)
                longs[i] = BinaryPrimitives.ReadInt64LittleEndian(bytes[(i * 8)..]);
            return TensorEntry.FromInt64(spec.Name, spec.Shape, longs);
        }
        var floats = new float[bytes.Length / 4];
        for (var i = 0; i < floats.Length; i++)
            floats[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(i * 4)..]);
        return new TensorEntry(spec.Name, spec.Shape, floats);
    }

    private static ModelFileException Corrupted(string source, string problem, Exception? inner = null) =>
        inner is null
            ? new ModelFileException($"{source} is corrupted: {problem}.")
            : new ModelFileException($"{source} is corrupted: {problem}.", inner);

    // Names and values come from the file: keep messages on one line and of readable length.
    private static string Quote(string text)
    {
        var builder = new StringBuilder("'");
        foreach (var c in text.Length > 80 ? text[..80] + "…" : text)
            builder.Append(char.IsControl(c) ? '?' : c);
        return builder.Append('\'').ToString();
    }

    private static string OneLine(string text) => Quote(text).Trim('\'');
}
