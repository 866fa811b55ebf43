using System.Globalization;
using System.Text.Json;
using Converge.Data;

namespace Converge.Persistence;

/// <summary>
/// A Converge model as one safetensors file: the weights as F32 tensors any safetensors reader
/// loads, and in <c>__metadata__</c> the architecture, preprocessing, scaler, threshold, training
/// summary, a format version, a SHA-256 checksum of the tensor bytes and one of the metadata (a flipped
/// digit in a saved median or scaler mean would otherwise change predictions silently). Written
/// atomically; loading validates every part and rebuilds nothing it has not checked.
/// </summary>
public static class ModelFile
{
    /// <summary>The value of the "format" metadata entry of every Converge model file.</summary>
    public const string FormatName = "converge-model";
    /// <summary>The newest model format this version writes and reads.</summary>
    public const int FormatVersion = 1;

    /// <summary>The metadata key holding the SHA-256 of every other non-<c>converge.</c> metadata entry.</summary>
    public const string MetadataChecksumKey = "converge.metadata_checksum";

    /// <summary>Writes <paramref name="contents"/> to <paramref name="path"/> atomically (a temporary file, then a rename).</summary>
    public static void Save(string path, ModelContents contents)
    {
        ArgumentNullException.ThrowIfNull(contents);
        contents.Architecture.Validate();
        var tensors = new List<TensorEntry>();
        foreach (var (name, shape) in contents.Architecture.ExpectedState())
        {
            var length = shape.Aggregate(1L, static (n, d) => n * d);
            if (!contents.State.TryGetValue(name, out var data) || data.Length != length)
                throw new ArgumentException($"ModelFile.Save: state entry '{name}' is missing or has the wrong size.", nameof(contents));
            tensors.Add(new TensorEntry(name, shape, data));
        }
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["format"] = FormatName,
            ["format_version"] = FormatVersion.ToString(CultureInfo.InvariantCulture),
            ["architecture"] = JsonSerializer.Serialize(contents.Architecture, ModelJsonContext.Default.NetworkSpec),
            ["preprocessing"] = contents.Preprocessing.ToJson(),
            ["threshold"] = contents.Threshold.ToString("R", CultureInfo.InvariantCulture),
            ["training"] = JsonSerializer.Serialize(contents.Training, ModelJsonContext.Default.TrainingSummary),
        };
        if (contents.Scaler is not null) metadata["scaler"] = JsonSerializer.Serialize(contents.Scaler, ModelJsonContext.Default.ScalerState);
        metadata[MetadataChecksumKey] = MetadataChecksum(metadata);
        SafeTensorsFile.Write(path, tensors, metadata);
    }

    /// <summary>Reads and validates a model file; anything damaged, foreign or inconsistent is a <see cref="ModelFileException"/>.</summary>
    public static ModelContents Load(string path)
    {
        var content = SafeTensorsFile.Read(path, requireChecksum: true);
        var name = Path.GetFileName(path);
        var meta = content.Metadata;
        if (!meta.TryGetValue("format", out var format) || format != FormatName)
            throw new ModelFileException($"{name} is a safetensors file but not a Converge model (no \"format\": \"{FormatName}\" in its metadata).");
        if (!int.TryParse(Get(meta, "format_version", name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var version) || version < 1)
            throw new ModelFileException($"{name}: invalid format_version '{meta["format_version"]}'.");
        if (version > FormatVersion)
            throw new ModelFileException($"{name} was written by a newer Converge (model format {version}; this version reads up to {FormatVersion}).");
        if (!string.Equals(Get(meta, MetadataChecksumKey, name), MetadataChecksum(meta), StringComparison.Ordinal))
            throw new ModelFileException($"{name} is corrupted: its metadata (architecture, preprocessing, scaler, threshold or training summary) does not match its {MetadataChecksumKey}.");

        var architecture = Parse(meta, "architecture", name, static json => JsonSerializer.Deserialize(json, ModelJsonContext.Default.NetworkSpec));
        var preprocessing = Parse(meta, "preprocessing", name, PreprocessingSpec.FromJson);
        var training = Parse(meta, "training", name, static json => JsonSerializer.Deserialize(json, ModelJsonContext.Default.TrainingSummary));
        var scaler = meta.ContainsKey("scaler") ? Parse(meta, "scaler", name, static json => JsonSerializer.Deserialize(json, ModelJsonContext.Default.ScalerState)) : null;
        if (!double.TryParse(Get(meta, "threshold", name), NumberStyles.Float, CultureInfo.InvariantCulture, out var threshold) || !(threshold is >= 0 and <= 1))
            throw new ModelFileException($"{name}: the threshold '{meta["threshold"]}' is not a probability.");

        // Everything is checked before anything is built: the network is allocated by the caller only
        // after its tensor table has matched the architecture (see ModelValidation).
        var state = new Dictionary<string, float[]>(StringComparer.Ordinal);
        foreach (var entry in content.Tensors) state.TryAdd(entry.Name, entry.Data);
        var contents = new ModelContents(architecture, preprocessing, scaler, threshold, training, state);
        ModelValidation.Check(contents, content.Tensors, name);
        return contents;
    }

    private static string Get(IReadOnlyDictionary<string, string> meta, string key, string file) =>
        meta.TryGetValue(key, out var value) ? value : throw new ModelFileException($"{file}: the model metadata has no '{key}' entry.");

    private static T Parse<T>(IReadOnlyDictionary<string, string> meta, string key, string file, Func<string, T?> parse) where T : class
    {
        var json = Get(meta, key, file);
        try
        {
            return parse(json) ?? throw new ModelFileException($"{file}: the '{key}' metadata is empty.");
        }
        catch (JsonException e)
        {
            throw new ModelFileException($"{file}: the '{key}' metadata is not valid: {e.Message}", e);
        }
    }

    /// <summary>
    /// SHA-256 over the metadata entries outside the <c>converge.</c> namespace, in ordinal key order,
    /// NUL-separated. The container's checksum covers only the tensor bytes; this one covers the
    /// architecture, preprocessing, scaler and threshold, so one flipped byte anywhere is detected.
    /// </summary>
    private static string MetadataChecksum(IReadOnlyDictionary<string, string> metadata)
    {
        var builder = new System.Text.StringBuilder();
        foreach (var key in metadata.Keys.Where(static k => !k.StartsWith("converge.", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
            builder.Append(key).Append('\0').Append(metadata[key]).Append('\0');
        return "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(builder.ToString())));
    }
}
