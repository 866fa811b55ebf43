namespace Converge.Export;

/// <summary>Model-level settings written into the ONNX ModelProto.</summary>
public sealed record OnnxExportOptions
{
    /// <summary>ONNX IR version; 7 is the IR that shipped alongside opset 13.</summary>
    public long IrVersion { get; init; } = 7;

    /// <summary>Version of the default ("ai.onnx") operator set; 13 or later.</summary>
    public long OpsetVersion { get; init; } = 13;

    /// <summary>ModelProto.producer_version; defaults to the Converge assembly version.</summary>
    public string ProducerVersion { get; init; } = DefaultProducerVersion;

    /// <summary>Optional ModelProto.doc_string.</summary>
    public string? DocString { get; init; }

    /// <summary>ModelProto.producer_name written by Converge.</summary>
    public const string ProducerName = "converge";

    internal static string DefaultProducerVersion { get; } =
        typeof(OnnxExportOptions).Assembly.GetName().Version?.ToString() ?? "0.0.0";

    internal void Validate()
    {
        if (IrVersion < 7)
            throw new ArgumentOutOfRangeException(nameof(IrVersion), IrVersion, $"OnnxExportOptions: IrVersion must be >= 7, got {IrVersion}.");
        if (OpsetVersion < 13)
            throw new ArgumentOutOfRangeException(nameof(OpsetVersion), OpsetVersion, $"OnnxExportOptions: OpsetVersion must be >= 13, got {OpsetVersion}.");
        ArgumentNullException.ThrowIfNull(ProducerVersion);
    }
}
