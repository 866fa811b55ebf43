namespace Converge.Persistence;

/// <summary>The element types Converge reads and writes in a safetensors file.</summary>
public enum SafeTensorsDType
{
    /// <summary>32-bit IEEE float, the type of every weight and buffer.</summary>
    F32,

    /// <summary>64-bit signed integer, for counters such as BatchNorm's NumBatchesTracked.</summary>
    I64,
}

/// <summary>
/// One named tensor of a model file: dimensions and values in row-major order. An F32 entry keeps
/// its values in <see cref="Data"/>; an I64 entry (made with <see cref="FromInt64"/>) keeps them in
/// <see cref="Int64Data"/> and has an empty <see cref="Data"/>.
/// </summary>
/// <remarks>
/// The arrays are held, not copied, and record equality compares them by reference: compare
/// contents with SequenceEqual.
/// </remarks>
/// <param name="Name">The tensor's key in the file, unique within it (e.g. "0.weight").</param>
/// <param name="Shape">The dimensions; empty for a scalar.</param>
/// <param name="Data">The float values; length is the product of <paramref name="Shape"/>.</param>
public sealed record TensorEntry(string Name, int[] Shape, float[] Data)
{
    /// <summary>The values of an I64 entry; null for an F32 entry.</summary>
    public long[]? Int64Data { get; init; }

    /// <summary>F32 unless <see cref="Int64Data"/> is set.</summary>
    public SafeTensorsDType DType => Int64Data is null ? SafeTensorsDType.F32 : SafeTensorsDType.I64;

    /// <summary>An I64 entry, for integer counters that PyTorch stores as int64.</summary>
    public static TensorEntry FromInt64(string name, int[] shape, long[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return new TensorEntry(name, shape, []) { Int64Data = data };
    }
}

/// <summary>What a safetensors file holds, as read by <see cref="SafeTensorsFile.Read"/>.</summary>
/// <param name="Tensors">The tensors in the order of their bytes in the file.</param>
/// <param name="Metadata">The <c>__metadata__</c> strings, including <c>converge.checksum</c> when present.</param>
public sealed record SafeTensorsContent(IReadOnlyList<TensorEntry> Tensors, IReadOnlyDictionary<string, string> Metadata)
{
    /// <summary>The tensor with this exact name, or null.</summary>
    public TensorEntry? Find(string name)
    {
        foreach (var tensor in Tensors)
        {
            if (string.Equals(tensor.Name, name, StringComparison.Ordinal)) return tensor;
        }
        return null;
    }
}
