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
    public const string FormatName = "converge-model";

    /// <summary>The newest format this version writes and reads: 2 adds cross-fitted ensembles (a file with one network is still written as 1).</summary>
    public const int FormatVersion = 2;

    /// <summary>The state-dictionary prefix of ensemble member <paramref name="member"/> (1-based); the first member's tensors have none.</summary>
    public static string MemberPrefix(int member) => member == 1 ? "" : string.Create(CultureInfo.InvariantCulture, $"member{member}.");

    /// <summary>The most members an ensemble file may hold.</summary>
    public const int MaxMembers = 64;

    /// <summary>The metadata key holding the SHA-256 of every other non-<c>converge.</c> metadata entry.</summary>
    public const string MetadataChecksumKey = "converge.metadata_checksum";

    public static void Save(string path, ModelContents contents)
    {
        ArgumentNullException.ThrowIfNull(contents);
        var network = contents.Architecture.Build(new Tensors.Generator(0));
        var expected = network.StateDict();
        var tensors = new List<TensorEntry>();
        var members = contents.MemberCount;
        for (var m = 1; m <= members; m++)
        {
            var state = m == 1 ? contents.State : contents.MoreMembers![m - 2];
            foreach (var (name, tensor) in expected)
            {
                if (!state.TryGetValue(name, out var data) || data.Length != tensor.Length)
                    throw new ArgumentException($"ModelFile.Save: state entry '{name}' of member {m} is missing or has the wrong size.", nameof(contents));
                tensors.Add(new TensorEntry(MemberPrefix(m) + name, tensor.Shape, data));
            }
        }
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["format"] = FormatName,
            // One network is written as format 1, byte for byte what older versions read.
            ["format_version"] = (members == 1 ? 1 : FormatVersion).ToString(CultureInfo.InvariantCulture),
            ["architecture"] = JsonSerializer.Serialize(contents.Architecture, ModelJsonContext.Default.NetworkSpec),
            ["preprocessing"] = contents.Preprocessing.ToJson(),
            ["threshold"] = contents.Threshold.ToString("R", CultureInfo.InvariantCulture),
            ["training"] = JsonSerializer.Serialize(contents.Training, ModelJsonContext.Default.TrainingSummary),
        };
        if (members > 1) metadata["members"] = members.ToString(CultureInfo.InvariantCulture);
        if (contents.Scaler is not null) metadata["scaler"] = JsonSerializer.Serialize(contents.Scaler, ModelJsonContext.Default.ScalerState);
        metadata[MetadataChecksumKey] = MetadataChecksum(metadata);
        SafeTensorsFile.Write(path, tensors, metadata);
    }

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

        // JSON passes null for a missing array: a hand-edited or foreign file must fail here, not in Build.
        if (architecture.Hidden is null || preprocessing.FeatureNames is null || preprocessing.Columns is null || preprocessing.Label is null
            || (scaler is not null && (scaler.Mean is null || scaler.Scale is null)))
            throw new ModelFileException($"{name} is incomplete: its architecture or preprocessing metadata lacks a required field.");
        if (architecture.Inputs != preprocessing.FeatureNames.Count)
            throw new ModelFileException($"{name}: the network takes {architecture.Inputs} features but the preprocessing produces {preprocessing.FeatureNames.Count}.");
        if (scaler is not null && (scaler.Mean.Length != architecture.Inputs || scaler.Scale.Length != architecture.Inputs || scaler.Scale.Any(static s => !(s > 0) || !double.IsFinite(s)) || scaler.Mean.Any(static m => !double.IsFinite(m))))
            throw new ModelFileException($"{name}: the saved scaler does not match the {architecture.Inputs} features or has invalid values.");

        Modules.Sequential network;
        try
        {
            network = architecture.Build(new Tensors.Generator(0));
        }
        catch (ArgumentException e)
        {
            throw new ModelFileException($"{name}: invalid architecture: {e.Message}", e);
        }
        var members = 1;
        if (meta.TryGetValue("members", out var membersText)
            && (version < 2 || !int.TryParse(membersText, NumberStyles.None, CultureInfo.InvariantCulture, out members) || members is < 2 or > MaxMembers))
            throw new ModelFileException($"{name}: invalid 'members' entry '{membersText}' (an ensemble has 2 to {MaxMembers} members, in format 2).");
        var states = new List<Dictionary<string, float[]>>(members);
        var known = new HashSet<string>(StringComparer.Ordinal);
        for (var m = 1; m <= members; m++)
        {
            var state = new Dictionary<string, float[]>(StringComparer.Ordinal);
            foreach (var (stateKey, tensor) in network.StateDict())
            {
                var key = MemberPrefix(m) + stateKey;
                var entry = content.Find(key) ?? throw new ModelFileException($"{name}: tensor '{key}' is missing.");
            if (!entry.Shape.AsSpan().SequenceEqual(tensor.Shape))
                throw new ModelFileException($"{name}: tensor '{key}' has shape {Tensors.Tensor.ShapeToString(entry.Shape)}, the architecture needs {Tensors.Tensor.ShapeToString(tensor.Shape)}.");
            if (entry.Data.Any(static v => !float.IsFinite(v)))
                throw new ModelFileException($"{name}: tensor '{key}' holds NaN or infinite values.");
                if (key.EndsWith("running_var", StringComparison.Ordinal) && entry.Data.Any(static v => v < 0))
                    throw new ModelFileException($"{name}: tensor '{key}' holds a negative variance.");
                state[stateKey] = entry.Data;
                known.Add(key);
            }
            states.Add(state);
        }
        foreach (var entry in content.Tensors)
            if (!known.Contains(entry.Name)) throw new ModelFileException($"{name}: unexpected tensor '{entry.Name}'.");
        return new ModelContents(architecture, preprocessing, scaler, threshold, training, states[0], members == 1 ? null : [.. states.Skip(1)]);
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
