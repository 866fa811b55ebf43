using System.Text.Json.Serialization;

namespace Converge.Data;

/// <summary>
/// Source-generated JSON metadata for the data stage's saved state (no reflection, so AOT and
/// trimming are safe). A model file can embed <see cref="PreprocessingSpec"/> through
/// <c>DataJsonContext.Default.PreprocessingSpec</c>.
/// </summary>
[JsonSourceGenerationOptions(
    WriteIndented = true,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(PreprocessingSpec))]
public sealed partial class DataJsonContext : JsonSerializerContext;
