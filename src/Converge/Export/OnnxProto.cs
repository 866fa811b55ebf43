namespace Converge.Export;

internal sealed record OnnxValueInfo(string Name, OnnxElementType ElementType, OnnxDim[] Dims);

internal sealed record OnnxInitializer(string Name, OnnxElementType ElementType, long[] Dims, byte[] RawData);

internal sealed record OnnxNode(string Name, string OpType, string[] Inputs, string[] Outputs, OnnxAttribute[] Attributes);

internal sealed record OnnxGraph(
    string Name,
    IReadOnlyList<OnnxNode> Nodes,
    IReadOnlyList<OnnxInitializer> Initializers,
    IReadOnlyList<OnnxValueInfo> Inputs,
    IReadOnlyList<OnnxValueInfo> Outputs,
    string? DocString);

internal sealed record OnnxModel(
    long IrVersion,
    long OpsetVersion,
    string ProducerName,
    string ProducerVersion,
    string? DocString,
    OnnxGraph Graph,
    IReadOnlyList<KeyValuePair<string, string>> Metadata);

/// <summary>
/// Serializes the handful of ONNX messages Converge emits. Every field number below is taken from
/// onnx/onnx.proto (message and field named in the trailing comment). proto2 repeated scalars are
/// written unpacked unless onnx.proto declares them <c>[packed = true]</c>.
/// </summary>
internal static class OnnxProto
{
    public static byte[] Serialize(OnnxModel model)
    {
        var w = new ProtoWriter();
        w.WriteInt64(1, model.IrVersion);                       // ModelProto.ir_version = 1
        w.WriteString(2, model.ProducerName);                   // ModelProto.producer_name = 2
        w.WriteString(3, model.ProducerVersion);                // ModelProto.producer_version = 3
        if (model.DocString is not null) w.WriteString(6, model.DocString); // ModelProto.doc_string = 6
        w.WriteMessage(7, model.Graph, WriteGraph);             // ModelProto.graph = 7
        w.WriteMessage(8, model.OpsetVersion, static (o, version) =>   // ModelProto.opset_import = 8
        {
            o.WriteString(1, "");                               // OperatorSetIdProto.domain = 1 ("" = ai.onnx)
            o.WriteInt64(2, version);                           // OperatorSetIdProto.version = 2
        });
        foreach (var entry in model.Metadata)
        {
            w.WriteMessage(14, entry, static (e, kv) =>         // ModelProto.metadata_props = 14
            {
                e.WriteString(1, kv.Key);                       // StringStringEntryProto.key = 1
                e.WriteString(2, kv.Value);                     // StringStringEntryProto.value = 2
            });
        }
        return w.ToArray();
    }

    private static void WriteGraph(ProtoWriter w, OnnxGraph graph)
    {
        foreach (var node in graph.Nodes) w.WriteMessage(1, node, WriteNode);          // GraphProto.node = 1
        w.WriteString(2, graph.Name);                                                  // GraphProto.name = 2
        foreach (var init in graph.Initializers) w.WriteMessage(5, init, WriteTensor); // GraphProto.initializer = 5
        if (graph.DocString is not null) w.WriteString(10, graph.DocString);           // GraphProto.doc_string = 10
        foreach (var input in graph.Inputs) w.WriteMessage(11, input, WriteValueInfo);   // GraphProto.input = 11
        foreach (var output in graph.Outputs) w.WriteMessage(12, output, WriteValueInfo); // GraphProto.output = 12
    }

    private static void WriteNode(ProtoWriter w, OnnxNode node)
    {
        foreach (var input in node.Inputs) w.WriteString(1, input);    // NodeProto.input = 1
        foreach (var output in node.Outputs) w.WriteString(2, output); // NodeProto.output = 2
        w.WriteString(3, node.Name);                                   // NodeProto.name = 3
        w.WriteString(4, node.OpType);                                 // NodeProto.op_type = 4
        foreach (var attr in node.Attributes) w.WriteMessage(5, attr, WriteAttribute); // NodeProto.attribute = 5
    }

    private static void WriteAttribute(ProtoWriter w, OnnxAttribute attr)
    {
        w.WriteString(1, attr.Name);                                   // AttributeProto.name = 1
        w.WriteInt32(20, (int)attr.Kind);                              // AttributeProto.type = 20 (AttributeType enum)
        switch (attr.Kind)
        {
            case OnnxAttributeKind.Float:
                w.WriteFloat(2, attr.FloatValue);                      // AttributeProto.f = 2
                break;
            case OnnxAttributeKind.Int:
                w.WriteInt64(3, attr.IntValue);                        // AttributeProto.i = 3
                break;
            case OnnxAttributeKind.String:
                w.WriteString(4, attr.StringValue);                    // AttributeProto.s = 4 (bytes, UTF-8)
                break;
            case OnnxAttributeKind.Floats:
                foreach (var f in attr.FloatValues) w.WriteFloat(7, f); // AttributeProto.floats = 7 (not packed)
                break;
            case OnnxAttributeKind.Ints:
                foreach (var i in attr.IntValues) w.WriteInt64(8, i);   // AttributeProto.ints = 8 (not packed)
                break;
            default:
                throw new InvalidOperationException($"OnnxProto: unsupported attribute kind {attr.Kind}.");
        }
    }

    private static void WriteTensor(ProtoWriter w, OnnxInitializer tensor)
    {
        foreach (var d in tensor.Dims) w.WriteInt64(1, d);            // TensorProto.dims = 1 (not packed)
        w.WriteInt32(2, (int)tensor.ElementType);                      // TensorProto.data_type = 2
        w.WriteString(8, tensor.Name);                                 // TensorProto.name = 8
        w.WriteBytes(9, tensor.RawData);                               // TensorProto.raw_data = 9 (little-endian)
    }

    private static void WriteValueInfo(ProtoWriter w, OnnxValueInfo info)
    {
        w.WriteString(1, info.Name);                                   // ValueInfoProto.name = 1
        w.WriteMessage(2, info, static (type, i) =>                    // ValueInfoProto.type = 2
            type.WriteMessage(1, i, static (tensor, t) =>              // TypeProto.tensor_type = 1
            {
                tensor.WriteInt32(1, (int)t.ElementType);              // TypeProto.Tensor.elem_type = 1
                tensor.WriteMessage(2, t.Dims, static (shape, dims) => // TypeProto.Tensor.shape = 2
                {
                    foreach (var dim in dims)
                    {
                        shape.WriteMessage(1, dim, static (d, x) =>    // TensorShapeProto.dim = 1
                        {
                            if (x.Param is not null) d.WriteString(2, x.Param); // Dimension.dim_param = 2
                            else if (x.Value is { } v) d.WriteInt64(1, v);      // Dimension.dim_value = 1
                        });
                    }
                });
            }));
    }
}
