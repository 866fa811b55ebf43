using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Converge.Export;

public static partial class OnnxExporter
{
    /// <summary>Metadata key: the input columns as JSON (<see cref="OnnxInputLayout.ToJson"/>).</summary>
    public const string InputsKey = "converge.inputs";

    /// <summary>Metadata key: the encoded feature names (JSON list), in network order.</summary>
    public const string FeatureNamesKey = "converge.feature_names";

    /// <summary>Metadata key: the label mapping as JSON {"column", "negative", "positive"}; label 1 is the positive class.</summary>
    public const string LabelKey = "converge.label";

    /// <summary>Metadata key: the decision threshold (round-trip double); label = probability ≥ threshold.</summary>
    public const string ThresholdKey = "converge.threshold";

    /// <summary>Metadata key: the Converge version that exported the model.</summary>
    public const string VersionKey = "converge.version";

    /// <summary>Metadata key: the architecture, e.g. "30 in → 16 relu → 1 logit".</summary>
    public const string ArchitectureKey = "converge.architecture";

    /// <summary>Metadata key: the missing-value policy the model was trained with ("impute" or "error").</summary>
    public const string MissingPolicyKey = "converge.missing_policy";

    /// <summary>The metadata_props written into an exported model.</summary>
    public static IReadOnlyDictionary<string, string> Metadata(BinaryClassifier model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Metadata(model, OnnxInputLayout.For(model.Preprocessing));
    }

    private static Dictionary<string, string> Metadata(BinaryClassifier model, OnnxInputLayout layout)
    {
        var label = model.Label;
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [InputsKey] = layout.ToJson(),
            [FeatureNamesKey] = Json(w =>
            {
                w.WriteStartArray();
                foreach (var name in model.FeatureNames) w.WriteStringValue(name);
                w.WriteEndArray();
            }),
            [LabelKey] = Json(w =>
            {
                w.WriteStartObject();
                w.WriteString("column", label.Column);
                w.WriteString("negative", label.Negative);
                w.WriteString("positive", label.Positive);
                w.WriteEndObject();
            }),
            [ThresholdKey] = model.Threshold.ToString("R", CultureInfo.InvariantCulture),
            [VersionKey] = BinaryClassifier.Version,
            [ArchitectureKey] = model.Architecture.ToString(),
            [MissingPolicyKey] = model.Preprocessing.MissingPolicy.ToString().ToLowerInvariant(),
        };
    }

    private static string Json(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream)) write(writer);
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
