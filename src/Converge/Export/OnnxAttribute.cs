namespace Converge.Export;

/// <summary>Kinds of node attribute; values are onnx.proto AttributeProto.AttributeType.</summary>
public enum OnnxAttributeKind
{
    /// <summary>A single float (f).</summary>
    Float = 1,
    /// <summary>A single integer (i).</summary>
    Int = 2,
    /// <summary>A string, UTF-8 (s).</summary>
    String = 3,
    /// <summary>A list of floats.</summary>
    Floats = 6,
    /// <summary>A list of integers.</summary>
    Ints = 7,
}

/// <summary>A named, typed node attribute, e.g. <c>OnnxAttribute.Int("transB", 1)</c>.</summary>
public sealed class OnnxAttribute
{
    private OnnxAttribute(string name, OnnxAttributeKind kind)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("OnnxAttribute: name must be non-empty.", nameof(name));
        Name = name;
        Kind = kind;
    }

    /// <summary>The attribute name, e.g. "alpha".</summary>
    public string Name { get; }

    /// <summary>Which of the value fields is set.</summary>
    public OnnxAttributeKind Kind { get; }

    internal float FloatValue { get; private init; }

    internal long IntValue { get; private init; }

    internal string StringValue { get; private init; } = "";

    internal float[] FloatValues { get; private init; } = [];

    internal long[] IntValues { get; private init; } = [];

    /// <summary>A float attribute.</summary>
    public static OnnxAttribute Float(string name, float value) => new(name, OnnxAttributeKind.Float) { FloatValue = value };

    /// <summary>An integer attribute.</summary>
    public static OnnxAttribute Int(string name, long value) => new(name, OnnxAttributeKind.Int) { IntValue = value };

    /// <summary>An element-type attribute such as Cast's <c>to</c>, stored as its TensorProto.DataType number.</summary>
    public static OnnxAttribute ElementType(string name, OnnxElementType value) => Int(name, (long)value);

    /// <summary>A string attribute.</summary>
    public static OnnxAttribute String(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new(name, OnnxAttributeKind.String) { StringValue = value };
    }

    /// <summary>A list-of-floats attribute.</summary>
    public static OnnxAttribute Floats(string name, params float[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return new(name, OnnxAttributeKind.Floats) { FloatValues = (float[])values.Clone() };
    }

    /// <summary>A list-of-integers attribute.</summary>
    public static OnnxAttribute Ints(string name, params long[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return new(name, OnnxAttributeKind.Ints) { IntValues = (long[])values.Clone() };
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name}:{Kind}";
}
