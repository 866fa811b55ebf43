using System.Buffers.Binary;
using System.Globalization;

namespace Converge.Export;

/// <summary>
/// Builds a single-graph ONNX model in topological order and serializes it without any protobuf
/// dependency. Every value name (graph input, initializer, node output) is defined exactly once, and a
/// node may only consume names defined before it, so mistakes surface at the offending call rather
/// than as an opaque load failure in a runtime.
/// </summary>
/// <remarks>
/// The builder is graph-agnostic; <see cref="OnnxExporter"/> uses it to emit a whole classifier,
/// including the in-graph imputation and one-hot expansion of categorical codes.
/// </remarks>
public sealed class OnnxGraphBuilder
{
    private readonly Dictionary<string, string> _definedBy = new(StringComparer.Ordinal);
    private readonly HashSet<string> _reserved = new(StringComparer.Ordinal);
    private readonly HashSet<string> _outputNames = new(StringComparer.Ordinal);
    private readonly List<OnnxValueInfo> _inputs = [];
    private readonly List<OnnxValueInfo> _outputs = [];
    private readonly List<OnnxInitializer> _initializers = [];
    private readonly List<OnnxNode> _nodes = [];

    public OnnxGraphBuilder(OnnxExportOptions? options = null)
    {
        Options = options ?? new OnnxExportOptions();
        Options.Validate();
    }

    public OnnxExportOptions Options { get; }

    /// <summary>True when <paramref name="name"/> is already a graph input, initializer or node output.</summary>
    public bool IsDefined(string name) => _definedBy.ContainsKey(name);

    /// <summary>
    /// Returns a value name starting with <paramref name="prefix"/> that is neither defined nor handed out
    /// before: <c>prefix</c> itself when free, otherwise <c>prefix_1</c>, <c>prefix_2</c>, ...
    /// </summary>
    public string FreshName(string prefix)
    {
        RequireName(prefix, "FreshName prefix");
        var candidate = prefix;
        for (var i = 1; _definedBy.ContainsKey(candidate) || _reserved.Contains(candidate); i++)
            candidate = string.Create(CultureInfo.InvariantCulture, $"{prefix}_{i}");
        _reserved.Add(candidate);
        return candidate;
    }

    /// <summary>Declares a graph input, e.g. <c>AddInput("X", OnnxElementType.Float, OnnxDim.Batch, 3)</c>.</summary>
    public string AddInput(string name, OnnxElementType elementType, params OnnxDim[] dims)
    {
        var info = MakeValueInfo(name, elementType, dims, "input");
        Define(name, "a graph input");
        _inputs.Add(info);
        return name;
    }

    /// <summary>Adds a constant float tensor (row-major). No dims means a scalar.</summary>
    public string AddInitializer(string name, ReadOnlySpan<float> data, params long[] dims)
    {
        CheckInitializer(name, data.Length, dims);
        var raw = new byte[data.Length * sizeof(float)];
        for (var i = 0; i < data.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(raw.AsSpan(i * sizeof(float)), data[i]);
        return AddInitializerCore(name, OnnxElementType.Float, dims, raw);
    }

    /// <summary>Adds a constant int64 tensor (row-major), e.g. a shape or axes operand. No dims means a scalar.</summary>
    public string AddInitializer(string name, ReadOnlySpan<long> data, params long[] dims)
    {
        CheckInitializer(name, data.Length, dims);
        var raw = new byte[data.Length * sizeof(long)];
        for (var i = 0; i < data.Length; i++) BinaryPrimitives.WriteInt64LittleEndian(raw.AsSpan(i * sizeof(long)), data[i]);
        return AddInitializerCore(name, OnnxElementType.Int64, dims, raw);
    }

    /// <summary>Adds a constant bool tensor (one byte per element), e.g. a mask for Where. No dims means a scalar.</summary>
    public string AddInitializer(string name, ReadOnlySpan<bool> data, params long[] dims)
    {
        CheckInitializer(name, data.Length, dims);
        var raw = new byte[data.Length];
        for (var i = 0; i < data.Length; i++) raw[i] = data[i] ? (byte)1 : (byte)0;
        return AddInitializerCore(name, OnnxElementType.Bool, dims, raw);
    }

    /// <summary>
    /// Adds a node with explicitly named outputs. An empty string in <paramref name="inputs"/> or
    /// <paramref name="outputs"/> marks an omitted optional operand, as in ONNX.
    /// </summary>
    public void AddNode(string opType, string[] inputs, string[] outputs, params OnnxAttribute[] attributes)
    {
        RequireName(opType, "op type");
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(attributes);
        var nodeName = string.Create(CultureInfo.InvariantCulture, $"{opType}_{_nodes.Count}");
        foreach (var input in inputs)
        {
            ArgumentNullException.ThrowIfNull(input, nameof(inputs));
            if (input.Length > 0 && !_definedBy.ContainsKey(input))
                throw new ArgumentException(
                    $"OnnxGraphBuilder: node '{nodeName}' input '{input}' is not a graph input, initializer, or output of an earlier node.", nameof(inputs));
        }
        if (outputs.Length == 0 || outputs.All(o => o.Length == 0))
            throw new ArgumentException($"OnnxGraphBuilder: node '{nodeName}' needs at least one named output.", nameof(outputs));
        var seenOutputs = new HashSet<string>(StringComparer.Ordinal);
        foreach (var output in outputs)
        {
            ArgumentNullException.ThrowIfNull(output, nameof(outputs));
            if (output.Length == 0) continue;
            RequireName(output, $"node '{nodeName}' output");
            if (!seenOutputs.Add(output) || _definedBy.ContainsKey(output))
                throw new ArgumentException(
                    $"OnnxGraphBuilder: node '{nodeName}' output '{output}' is already defined as {DescribeDefinition(output, nodeName)}.", nameof(outputs));
        }
        var attributeNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var attribute in attributes)
        {
            ArgumentNullException.ThrowIfNull(attribute, nameof(attributes));
            if (!attributeNames.Add(attribute.Name))
                throw new ArgumentException($"OnnxGraphBuilder: node '{nodeName}' has attribute '{attribute.Name}' twice.", nameof(attributes));
        }
        foreach (var output in outputs)
            if (output.Length > 0) Define(output, $"the output of node '{nodeName}'");
        _nodes.Add(new OnnxNode(nodeName, opType, (string[])inputs.Clone(), (string[])outputs.Clone(), (OnnxAttribute[])attributes.Clone()));
    }

    /// <summary>Adds a single-output node whose output gets a fresh name, which is returned.</summary>
    public string AddNode(string opType, string[] inputs, params OnnxAttribute[] attributes)
    {
        RequireName(opType, "op type");
        var output = FreshName(opType.ToLowerInvariant());
        AddNode(opType, inputs, [output], attributes);
        return output;
    }

    /// <summary>Declares an already-defined value as a graph output with its element type and shape.</summary>
    public string AddOutput(string name, OnnxElementType elementType, params OnnxDim[] dims)
    {
        var info = MakeValueInfo(name, elementType, dims, "output");
        if (!_definedBy.ContainsKey(name))
            throw new ArgumentException($"OnnxGraphBuilder: output '{name}' is not a graph input, initializer, or node output.", nameof(name));
        if (!_outputNames.Add(name))
            throw new ArgumentException($"OnnxGraphBuilder: output '{name}' is declared twice.", nameof(name));
        _outputs.Add(info);
        return name;
    }

    /// <summary>Serializes the model (ModelProto bytes). Metadata becomes ModelProto.metadata_props, ordered by key.</summary>
    public byte[] Build(string graphName, IReadOnlyDictionary<string, string>? metadata = null)
    {
        RequireName(graphName, "graph name");
        if (_outputs.Count == 0)
            throw new InvalidOperationException($"OnnxGraphBuilder: graph '{graphName}' has no outputs; call AddOutput first.");
        var entries = new List<KeyValuePair<string, string>>();
        if (metadata is not null)
        {
            foreach (var kv in metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                RequireName(kv.Key, "metadata key");
                entries.Add(new(kv.Key, kv.Value ?? throw new ArgumentException($"OnnxGraphBuilder: metadata '{kv.Key}' has a null value.", nameof(metadata))));
            }
        }
        var graph = new OnnxGraph(graphName, [.. _nodes], [.. _initializers], [.. _inputs], [.. _outputs], DocString: null);
        var model = new OnnxModel(Options.IrVersion, Options.OpsetVersion, OnnxExportOptions.ProducerName,
            Options.ProducerVersion, Options.DocString, graph, entries);
        return OnnxProto.Serialize(model);
    }

    /// <summary>
    /// Builds and writes the model to <paramref name="path"/> atomically: the bytes go to a temporary file
    /// in the same directory, which then replaces the target, so readers never see a half-written model.
    /// </summary>
    public void Save(string path, string graphName, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var bytes = Build(graphName, metadata);
        Persistence.AtomicFile.WriteAllBytes(path, bytes);
    }

    private string AddInitializerCore(string name, OnnxElementType type, long[] dims, byte[] raw)
    {
        Define(name, "an initializer");
        _initializers.Add(new OnnxInitializer(name, type, (long[])dims.Clone(), raw));
        return name;
    }

    private void CheckInitializer(string name, int length, long[] dims)
    {
        RequireName(name, "initializer name");
        ArgumentNullException.ThrowIfNull(dims);
        long count = 1;
        foreach (var d in dims)
        {
            if (d < 0) throw new ArgumentOutOfRangeException(nameof(dims), d, $"OnnxGraphBuilder: initializer '{name}' has negative dimension {d}.");
            count = checked(count * d);
        }
        if (count != length)
            throw new ArgumentException(
                $"OnnxGraphBuilder: initializer '{name}' has {length} values but dims [{string.Join(", ", dims)}] hold {count}.", nameof(dims));
        CheckNotDefined(name);
    }

    private OnnxValueInfo MakeValueInfo(string name, OnnxElementType elementType, OnnxDim[] dims, string role)
    {
        RequireName(name, $"{role} name");
        ArgumentNullException.ThrowIfNull(dims);
        if (!Enum.IsDefined(elementType))
            throw new ArgumentOutOfRangeException(nameof(elementType), elementType, $"OnnxGraphBuilder: {role} '{name}' has unknown element type {(int)elementType}.");
        for (var i = 0; i < dims.Length; i++)
        {
            if (dims[i].Value is null && dims[i].Param is null)
                throw new ArgumentException($"OnnxGraphBuilder: {role} '{name}' dimension {i} is unset (default OnnxDim).", nameof(dims));
        }
        if (role == "input") CheckNotDefined(name);
        return new OnnxValueInfo(name, elementType, (OnnxDim[])dims.Clone());
    }

    private void CheckNotDefined(string name)
    {
        if (_definedBy.TryGetValue(name, out var what))
            throw new ArgumentException($"OnnxGraphBuilder: value name '{name}' is already defined as {what}.", nameof(name));
    }

    private void Define(string name, string description)
    {
        CheckNotDefined(name);
        _definedBy.Add(name, description);
        _reserved.Remove(name);
    }

    private string DescribeDefinition(string name, string nodeName) =>
        _definedBy.TryGetValue(name, out var what) ? what : $"another output of node '{nodeName}'";

    private static void RequireName(string name, string what)
    {
        if (string.IsNullOrWhiteSpace(name))
            throw new ArgumentException($"OnnxGraphBuilder: {what} must be a non-empty name, got '{name}'.", nameof(name));
    }
}
