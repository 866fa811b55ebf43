using System.Text.Json.Serialization;
using Converge.Training;

namespace Converge.Persistence;

/// <summary>Source-generated JSON for the model file's metadata (no reflection: loading runs nothing from the file).</summary>
[JsonSourceGenerationOptions(WriteIndented = false, UseStringEnumConverter = true, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(NetworkSpec))]
[JsonSerializable(typeof(ScalerState))]
[JsonSerializable(typeof(TrainingSummary))]
[JsonSerializable(typeof(ProbabilityCalibration))]
internal sealed partial class ModelJsonContext : JsonSerializerContext;
