using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Converge.Persistence;

/// <summary>
/// Reads and writes the safetensors container (https://github.com/huggingface/safetensors): an
/// 8-byte little-endian header length N, N bytes of UTF-8 JSON header padded with spaces to a
/// multiple of 8, then the tensors' little-endian bytes, contiguous, with offsets relative to the
/// end of the header. Supports dtypes F32 and I64.
/// </summary>
/// <remarks>
/// Output is deterministic. The header holds <c>__metadata__</c> first, its keys in ordinal order,
/// then the tensors in file order: I64 entries first, then F32 entries, each group in the order
/// given. Putting the 8-byte type first keeps every tensor naturally aligned, as the reference
/// implementation does by sorting on alignment; all F32 files keep the caller's order exactly.
/// Every file carries <c>converge.checksum</c> = "sha256:" + lowercase hex of the SHA-256 of the
/// whole tensor byte buffer.
/// </remarks>
public static partial class SafeTensorsFile
{
    /// <summary>The metadata key holding the SHA-256 of the tensor bytes.</summary>
    public const string ChecksumKey = "converge.checksum";

    private const string MetadataKey = "__metadata__";
    private const string ChecksumPrefix = "sha256:";

    /// <summary>
    /// Writes the tensors and metadata to <paramref name="path"/> atomically (see <see cref="AtomicFile"/>):
    /// a failure leaves any existing file untouched and no temporary file behind.
    /// </summary>
    /// <exception cref="ArgumentException">A tensor is invalid (see <see cref="ToBytes"/>); nothing is written.</exception>
    /// <exception cref="ModelFileException">The file system refused the write.</exception>
    public static void Write(string path, IReadOnlyList<TensorEntry> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var bytes = ToBytes(tensors, metadata);
        try
        {
            AtomicFile.WriteAllBytes(path, bytes);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ModelFileException(ex.Message.StartsWith("cannot write", StringComparison.Ordinal) ? ex.Message : $"cannot write '{path}': {ex.Message}", ex);
        }
    }

    /// <summary>The bytes <see cref="Write"/> would put in a file.</summary>
    /// <remarks>
    /// A caller-supplied <c>converge.checksum</c> is replaced by the computed one, so content read
    /// from a file can be written back as is.
    /// </remarks>
    /// <exception cref="ArgumentException">
    /// A name is empty, duplicated or "__metadata__"; a dimension is negative; a shape's element
    /// count differs from the data length; an I64 entry also has float data.
    /// </exception>
    public static byte[] ToBytes(IReadOnlyList<TensorEntry> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var ordered = OrderForWriting(tensors);
        var sizes = new long[ordered.Length];
        long total = 0;
        for (var i = 0; i < ordered.Length; i++)
        {
            sizes[i] = ValidatedByteLength(ordered[i]);
            total += sizes[i];
        }
        if (total > Array.MaxLength)
            throw new ArgumentException($"The tensors hold {total} bytes; a model file is limited to {Array.MaxLength}.", nameof(tensors));

        var buffer = new byte[total];
        long offset = 0;
        for (var i = 0; i < ordered.Length; i++)
        {
            EncodeValues(ordered[i], buffer.AsSpan((int)offset, (int)sizes[i]));
            offset += sizes[i];
        }

        var allMetadata = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (metadata is not null)
        {
            foreach (var (key, value) in metadata)
            {
                ArgumentNullException.ThrowIfNull(key, nameof(metadata));
                allMetadata[key] = value ?? throw new ArgumentException($"Metadata value for '{key}' is null.", nameof(metadata));
            }
        }
        allMetadata[ChecksumKey] = ChecksumPrefix + Convert.ToHexStringLower(SHA256.HashData(buffer));

        var header = EncodeHeader(ordered, sizes, allMetadata);
        var padded = (header.Length + 7) / 8 * 8;
        var file = new byte[8 + padded + buffer.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)padded);
        header.CopyTo(file.AsSpan(8));
        file.AsSpan(8 + header.Length, padded - header.Length).Fill((byte)' ');
        buffer.CopyTo(file.AsSpan(8 + padded));
        return file;
    }

    private static TensorEntry[] OrderForWriting(IReadOnlyList<TensorEntry> tensors)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<TensorEntry>(tensors.Count);
        foreach (var tensor in tensors)
        {
            ArgumentNullException.ThrowIfNull(tensor, nameof(tensors));
            if (string.IsNullOrEmpty(tensor.Name))
                throw new ArgumentException("A tensor has an empty name.", nameof(tensors));
            if (string.Equals(tensor.Name, MetadataKey, StringComparison.Ordinal))
                throw new ArgumentException($"'{MetadataKey}' is reserved and cannot name a tensor.", nameof(tensors));
            if (!names.Add(tensor.Name))
                throw new ArgumentException($"Tensor name '{tensor.Name}' appears twice.", nameof(tensors));
            if (tensor.DType == SafeTensorsDType.I64) result.Add(tensor);
        }
        foreach (var tensor in tensors)
        {
            if (tensor.DType == SafeTensorsDType.F32) result.Add(tensor);
        }
        return [.. result];
    }

    private static long ValidatedByteLength(TensorEntry tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor.Shape, nameof(tensor));
        ArgumentNullException.ThrowIfNull(tensor.Data, nameof(tensor));
        long count = 1;
        foreach (var dim in tensor.Shape)
        {
            if (dim < 0)
                throw new ArgumentException($"Tensor '{tensor.Name}' has a negative dimension in shape {ShapeText(tensor.Shape)}.", nameof(tensor));
            count = Math.Min(count * dim, (long)int.MaxValue + 1);
        }
        var length = tensor.Int64Data?.Length ?? tensor.Data.Length;
        if (count != length)
            throw new ArgumentException($"Tensor '{tensor.Name}': shape {ShapeText(tensor.Shape)} needs {count} values, got {length}.", nameof(tensor));
        if (tensor.Int64Data is not null && tensor.Data.Length != 0)
            throw new ArgumentException($"Tensor '{tensor.Name}' has both I64 and F32 values; use TensorEntry.FromInt64.", nameof(tensor));
        return count * ElementSize(tensor.DType);
    }

    private static void EncodeValues(TensorEntry tensor, Span<byte> destination)
    {
        if (tensor.Int64Data is { } longs)
        {
            for (var i = 0; i < longs.Length; i++)
                BinaryPrimitives.WriteInt64LittleEndian(destination[(i * 8)..], longs[i]);
        }
        else
        {
            var floats = tensor.Data;
            for (var i = 0; i < floats.Length; i++)
                BinaryPrimitives.WriteSingleLittleEndian(destination[(i * 4)..], floats[i]);
        }
    }

    private static byte[] EncodeHeader(TensorEntry[] ordered, long[] sizes, SortedDictionary<string, string> metadata)
    {
        var output = new ArrayBufferWriter<byte>();
        // Relaxed escaping keeps names readable; the output is still plain, valid JSON.
        var options = new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        using (var json = new Utf8JsonWriter(output, options))
        {
            json.WriteStartObject();
            json.WriteStartObject(MetadataKey);
            foreach (var (key, value) in metadata) json.WriteString(key, value);
            json.WriteEndObject();
            long offset = 0;
            for (var i = 0; i < ordered.Length; i++)
            {
                json.WriteStartObject(ordered[i].Name);
                json.WriteString("dtype", DTypeName(ordered[i].DType));
                json.WriteStartArray("shape");
                foreach (var dim in ordered[i].Shape) json.WriteNumberValue(dim);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + sizes[i]);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += sizes[i];
            }
            json.WriteEndObject();
        }
        return output.WrittenSpan.ToArray();
    }

    private static int ElementSize(SafeTensorsDType dtype) => dtype == SafeTensorsDType.I64 ? 8 : 4;

    private static string DTypeName(SafeTensorsDType dtype) => dtype == SafeTensorsDType.I64 ? "I64" : "F32";

    private static string ShapeText(IEnumerable<int> shape) =>
        "[" + string.Join(", ", shape.Select(d => d.ToString(CultureInfo.InvariantCulture))) + "]";
}
