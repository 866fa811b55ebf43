namespace Converge.Export;

/// <summary>Kinds of node attribute; values are onnx.proto AttributeProto.AttributeType.</summary>
public enum OnnxAttributeKind
{
    Float = 1,
    Int = 2,
    String = 3,
    Floats = 6,
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

    public string Name { get; }

    public OnnxAttributeKind Kind { get; }

    internal float FloatValue { get; private init; }

    internal long IntValue { get; private init; }

    internal string StringValue { get; private init; } = "";

    internal float[] FloatValues { get; private init; } = [];

    internal long[] IntValues { get; private init; } = [];

    public static OnnxAttribute Float(string name, float value) => new(name, OnnxAttributeKind.Float) { FloatValue = value };

    public static OnnxAttribute Int(string name, long value) => new(name, OnnxAttributeKind.Int) { IntValue = value };

    /// <summary>An element-type attribute such as Cast's <c>to</c>, stored as its TensorProto.DataType number.</summary>
    public static OnnxAttribute ElementType(string name, OnnxElementType value) => Int(name, (long)value);

    public static OnnxAttribute String(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new(name, OnnxAttributeKind.String) { StringValue = value };
    }

    public static OnnxAttribute Floats(string name, params float[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return new(name, OnnxAttributeKind.Floats) { FloatValues = (float[])values.Clone() };
    }

    public static OnnxAttribute Ints(string name, params long[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return new(name, OnnxAttributeKind.Ints) { IntValues = (long[])values.Clone() };
    }

    public override string ToString() => $"{Name}:{Kind}";
}
