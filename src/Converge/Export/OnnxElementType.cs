namespace Converge.Export;

/// <summary>ONNX tensor element types used by Converge; values are onnx.proto TensorProto.DataType.</summary>
public enum OnnxElementType
{
    /// <summary>32-bit IEEE float (TensorProto.DataType.FLOAT = 1).</summary>
    Float = 1,

    /// <summary>Signed 64-bit integer (TensorProto.DataType.INT64 = 7).</summary>
    Int64 = 7,

    /// <summary>Boolean, one byte per element (TensorProto.DataType.BOOL = 9).</summary>
    Bool = 9,
}
