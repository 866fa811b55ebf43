namespace Converge.Export;

/// <summary>
/// One dimension of a graph input or output: either a fixed size or a symbolic name such as
/// <see cref="Batch"/>. Converts implicitly from integers and strings, so dims read as
/// <c>AddInput("X", OnnxElementType.Float, OnnxDim.Batch, 3)</c>.
/// </summary>
public readonly record struct OnnxDim
{
    /// <summary>The conventional symbolic batch dimension, "batch".</summary>
    public static readonly OnnxDim Batch = new("batch");

    /// <summary>A fixed dimension.</summary>
    public OnnxDim(long value)
    {
        if (value < 0) throw new ArgumentOutOfRangeException(nameof(value), value, "OnnxDim: a fixed dimension must be >= 0.");
        Value = value;
    }

    /// <summary>A named, symbolic dimension (e.g. "batch").</summary>
    public OnnxDim(string param)
    {
        if (string.IsNullOrWhiteSpace(param)) throw new ArgumentException("OnnxDim: a symbolic dimension needs a non-empty name.", nameof(param));
        Param = param;
    }

    /// <summary>Fixed size, or null when the dimension is symbolic.</summary>
    public long? Value { get; }

    /// <summary>Symbolic name, or null when the dimension is fixed.</summary>
    public string? Param { get; }

    /// <summary>A fixed dimension.</summary>
    public static implicit operator OnnxDim(long value) => new(value);

    /// <summary>A symbolic dimension.</summary>
    public static implicit operator OnnxDim(string param) => new(param);

    /// <summary>A fixed dimension (the named alternative to the implicit conversion).</summary>
    public static OnnxDim FromInt64(long value) => new(value);

    /// <summary>A symbolic dimension (the named alternative to the implicit conversion).</summary>
    public static OnnxDim FromString(string param) => new(param);

    /// <inheritdoc />
    public override string ToString() => Param ?? Value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?";
}
