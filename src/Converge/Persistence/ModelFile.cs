using System.Globalization;
using System.Text.Json;
using Converge.Data;
using Converge.Training;

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

    /// <summary>
    /// The newest format this version writes and reads: 2 adds cross-fitted ensembles, 3 a probability
    /// calibration. A file is written with the lowest version that holds it (one uncalibrated network is still
    /// format 1), so an older reader refuses a file it would misread instead of ignoring a part of it.
    /// </summary>
    public const int FormatVersion = 3;

    /// <summary>The state-dictionary prefix of ensemble member <paramref name="member"/> (1-based); the first member's tensors have none.</summary>
    public static string MemberPrefix(int member) => member == 1 ? "" : string.Create(CultureInfo.InvariantCulture, $"member{member}.");

    /// <summary>The most members an ensemble file may hold.</summary>
    public const int MaxMembers = 64;

    /// <summary>The metadata key holding the SHA-256 of every other non-<c>converge.</c> metadata entry.</summary>
    public const string MetadataChecksumKey = "converge.metadata_checksum";

    /// <summary>Writes <paramref name="contents"/> to <paramref name="path"/> atomically (a temporary file, then a rename).</summary>
    public static void Save(string path, ModelContents contents)
    {
        ArgumentNullException.ThrowIfNull(contents);
        contents.Architecture.Validate();
        var tensors = new List<TensorEntry>();
        var expected = contents.Architecture.ExpectedState();
        var members = contents.MemberCount;
        for (var m = 1; m <= members; m++)
        {
            var state = m == 1 ? contents.State : contents.MoreMembers![m - 2];
            foreach (var (name, shape) in expected)
            {
                var length = shape.Aggregate(1L, static (n, d) => n * d);
                if (!state.TryGetValue(name, out var data) || data.Length != length)
                    throw new ArgumentException($"ModelFile.Save: state entry '{name}' of member {m} is missing or has the wrong size.", nameof(contents));
                tensors.Add(new TensorEntry(MemberPrefix(m) + name, shape, data));
            }
        }
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["format"] = FormatName,
            // One network is written as format 1, byte for byte what older versions read.
            ["format_version"] = (contents.Calibration is not null ? 3 : members == 1 ? 1 : 2).ToString(CultureInfo.InvariantCulture),
            ["architecture"] = JsonSerializer.Serialize(contents.Architecture, ModelJsonContext.Default.NetworkSpec),
            ["preprocessing"] = contents.Preprocessing.ToJson(),
            ["threshold"] = contents.Threshold.ToString("R", CultureInfo.InvariantCulture),
            ["training"] = JsonSerializer.Serialize(contents.Training, ModelJsonContext.Default.TrainingSummary),
        };
        if (members > 1) metadata["members"] = members.ToString(CultureInfo.InvariantCulture);
        if (contents.Scaler is not null) metadata["scaler"] = JsonSerializer.Serialize(contents.Scaler, ModelJsonContext.Default.ScalerState);
        if (contents.Calibration is not null) metadata["calibration"] = JsonSerializer.Serialize(contents.Calibration, ModelJsonContext.Default.ProbabilityCalibration);
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

        ProbabilityCalibration? calibration = null;
        if (meta.ContainsKey("calibration"))
        {
            if (version < 3) throw new ModelFileException($"{name}: a 'calibration' entry needs model format 3, the file says {version}.");
            calibration = Parse(meta, "calibration", name, static json => JsonSerializer.Deserialize(json, ModelJsonContext.Default.ProbabilityCalibration));
        }

        var members = 1;
        if (meta.TryGetValue("members", out var membersText)
            && (version < 2 || !int.TryParse(membersText, NumberStyles.None, CultureInfo.InvariantCulture, out members) || members is < 2 or > MaxMembers))
            throw new ModelFileException($"{name}: invalid 'members' entry '{membersText}' (an ensemble has 2 to {MaxMembers} members, in format 2 or later).");

        // Everything is checked before anything is built: the network is allocated by the caller only
        // after its tensor table has matched the architecture, member by member (see ModelValidation).
        var states = new List<Dictionary<string, float[]>>(members);
        for (var m = 0; m < members; m++) states.Add(new Dictionary<string, float[]>(StringComparer.Ordinal));
        foreach (var entry in content.Tensors)
        {
            var (member, key) = SplitMember(entry.Name, members);
            states[member - 1].TryAdd(key, entry.Data);
        }
        var contents = new ModelContents(architecture, preprocessing, scaler, threshold, training, states[0], members == 1 ? null : [.. states.Skip(1)], calibration);
        ModelValidation.Check(contents, content.Tensors, name);
        return contents;
    }

    // "member3.0.weight" → (3, "0.weight") for members 2..count; anything else belongs to member 1
    // (a name that fits no member is then reported by the validation as unexpected).
    private static (int Member, string Key) SplitMember(string tensorName, int count)
    {
        if (count > 1 && tensorName.StartsWith("member", StringComparison.Ordinal))
        {
            var dot = tensorName.IndexOf('.', StringComparison.Ordinal);
            if (dot > 6 && int.TryParse(tensorName.AsSpan(6, dot - 6), NumberStyles.None, CultureInfo.InvariantCulture, out var m) && m >= 2 && m <= count
                && string.Equals(MemberPrefix(m), tensorName[..(dot + 1)], StringComparison.Ordinal))
                return (m, tensorName[(dot + 1)..]);
        }
        return (1, tensorName);
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
    internal static string MetadataChecksum(IReadOnlyDictionary<string, string> metadata)
    {
        var builder = new System.Text.StringBuilder();
        foreach (var key in metadata.Keys.Where(static k => !k.StartsWith("converge.", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
            builder.Append(key).Append('\0').Append(metadata[key]).Append('\0');
        return "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(builder.ToString())));
    }
}
