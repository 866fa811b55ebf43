namespace Converge.Export;

/// <summary>A model holds something ONNX export does not support; the message names it.</summary>
public sealed class OnnxExportException : Exception
{
    /// <summary>An export failure without a message.</summary>
    public OnnxExportException() { }

    /// <summary>An export failure with a message naming what cannot be exported.</summary>
    public OnnxExportException(string message) : base(message) { }

    /// <summary>An export failure with a message and its cause.</summary>
    public OnnxExportException(string message, Exception innerException) : base(message, innerException) { }
}
