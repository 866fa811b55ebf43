namespace Converge.Export;

/// <summary>A model holds something ONNX export does not support; the message names it.</summary>
public sealed class OnnxExportException : Exception
{
    public OnnxExportException() { }

    public OnnxExportException(string message) : base(message) { }

    public OnnxExportException(string message, Exception innerException) : base(message, innerException) { }
}
