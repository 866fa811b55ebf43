using System.Text.Json.Serialization;

namespace Converge.Data;

/// <summary>How a source column feeds the features.</summary>
public enum ColumnKind
{
    /// <summary>One feature: the parsed number (missing → <see cref="ColumnSpec.ImputeValue"/>).</summary>
    Numeric,

    /// <summary>One feature per vocabulary entry (one-hot; missing → <see cref="ColumnSpec.ImputeCategory"/>).</summary>
    Categorical,

    /// <summary>No features; not required in files given for prediction.</summary>
    Dropped,
}

/// <summary>The fitted treatment of one non-label column.</summary>
public sealed record ColumnSpec
{
    /// <summary>The column name in the training file.</summary>
    public required string Name { get; init; }

    /// <summary>Numeric, categorical or dropped.</summary>
    public required ColumnKind Kind { get; init; }

    /// <summary>Numeric: the training median, used for missing values.</summary>
    public double? ImputeValue { get; init; }

    /// <summary>Categorical: the most frequent training category, used for missing values.</summary>
    public string? ImputeCategory { get; init; }

    /// <summary>Categorical: the categories in one-hot order (ordinal sort).</summary>
    public IReadOnlyList<string>? Vocabulary { get; init; }

    /// <summary>Dropped: why, for people reading the model file.</summary>
    public string? Reason { get; init; }

    /// <summary>How many features the column produces.</summary>
    [JsonIgnore]
    public int Width => Kind switch
    {
        ColumnKind.Numeric => 1,
        ColumnKind.Categorical => Vocabulary?.Count ?? 0,
        _ => 0,
    };
}

/// <summary>
/// Everything <see cref="Preprocessor"/> learned from the training rows, as plain data that a model
/// file stores as JSON (see <see cref="DataJsonContext"/>).
/// </summary>
public sealed record PreprocessingSpec
{
    /// <summary>Bumped when the meaning of a field changes.</summary>
    public int FormatVersion { get; init; } = 1;

    /// <summary>Every non-label column of the training file, in file order, dropped ones included.</summary>
    public required IReadOnlyList<ColumnSpec> Columns { get; init; }

    /// <summary>The label column and its two classes.</summary>
    public required LabelMapping Label { get; init; }

    /// <summary>What to do with missing values at prediction time.</summary>
    public MissingPolicy MissingPolicy { get; init; } = MissingPolicy.Impute;

    /// <summary>The feature names in column order: numeric <c>name</c>, categorical <c>name=value</c>.</summary>
    public required IReadOnlyList<string> FeatureNames { get; init; }

    /// <summary>Serializes to indented JSON (AOT-safe, source generated).</summary>
    public string ToJson() => System.Text.Json.JsonSerializer.Serialize(this, DataJsonContext.Default.PreprocessingSpec);

    /// <summary>Reads JSON written by <see cref="ToJson"/>.</summary>
    public static PreprocessingSpec FromJson(string json) =>
        System.Text.Json.JsonSerializer.Deserialize(json, DataJsonContext.Default.PreprocessingSpec)
        ?? throw new System.Text.Json.JsonException("PreprocessingSpec: the JSON is null.");

    internal static IReadOnlyList<string> FeatureNamesOf(IEnumerable<ColumnSpec> columns) =>
    [
        .. columns.SelectMany(c => c.Kind switch
        {
            ColumnKind.Numeric => [c.Name],
            ColumnKind.Categorical => c.Vocabulary!.Select(v => $"{c.Name}={v}"),
            _ => Enumerable.Empty<string>(),
        }),
    ];
}
