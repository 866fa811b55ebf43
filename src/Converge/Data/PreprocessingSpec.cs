using System.Text.Json.Serialization;

namespace Converge.Data;

/// <summary>How a source column feeds the features.</summary>
public enum ColumnKind
{
    /// <summary>One feature: the parsed number (missing → <see cref="ColumnSpec.ImputeValue"/>), robustly scaled and clipped when <see cref="ColumnSpec.Center"/> is set; plus a missing indicator when <see cref="ColumnSpec.MissingIndicator"/>.</summary>
    Numeric,

    /// <summary>One feature per vocabulary entry (one-hot; missing → <see cref="ColumnSpec.ImputeCategory"/>, unseen → <see cref="ColumnSpec.OtherCategory"/> or all zeros).</summary>
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

    /// <summary>Numeric: subtracted before dividing by <see cref="Spread"/> (the training median); null for the raw number.</summary>
    public double? Center { get; init; }

    /// <summary>Numeric: the divisor after centring (the interquartile range, or half the range when that is 0); null with <see cref="Center"/>.</summary>
    public double? Spread { get; init; }

    /// <summary>Numeric: the centred, divided value z goes through the smooth clip z/√(1 + (z/3)²), which keeps |z| below 3.</summary>
    public bool Clip { get; init; }

    /// <summary>Numeric: a second feature <c>name=(missing)</c> is 1 where the value was missing (the training rows had missing values).</summary>
    public bool MissingIndicator { get; init; }

    /// <summary>Categorical: the vocabulary entry that training levels too rare to learn from, and levels never seen in training, map to; null when none was pooled (unseen levels are then all zeros).</summary>
    public string? OtherCategory { get; init; }

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
        ColumnKind.Numeric => MissingIndicator ? 2 : 1,
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
    /// <summary>Bumped when the meaning of a field changes: 2 adds robust scaling, clipping, missing indicators and pooled levels (which an older reader would silently ignore).</summary>
    public int FormatVersion { get; init; } = 1;

    /// <summary>The newest <see cref="FormatVersion"/> this version reads.</summary>
    public const int LatestFormatVersion = 2;

    /// <summary>The feature name of a numeric column's missing-value indicator, and the level of a categorical column's missing values.</summary>
    public const string MissingLevel = "(missing)";

    /// <summary>The level rare and unseen categories are pooled into.</summary>
    public const string OtherLevel = "(other)";

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

    /// <summary>The scaled value of a numeric column's number, as <see cref="RowTransformer"/> feeds it (in double; the caller rounds once).</summary>
    internal static double Scale(ColumnSpec column, double value)
    {
        if (column.Center is not { } center || column.Spread is not { } spread) return value;
        var z = (value - center) / spread;
        return column.Clip ? z / Math.Sqrt(1 + z / 3 * (z / 3)) : z;
    }

    internal static IReadOnlyList<string> FeatureNamesOf(IEnumerable<ColumnSpec> columns) =>
    [
        .. columns.SelectMany(c => c.Kind switch
        {
            ColumnKind.Numeric => c.MissingIndicator ? [c.Name, $"{c.Name}={MissingLevel}"] : [c.Name],
            ColumnKind.Categorical => c.Vocabulary!.Select(v => $"{c.Name}={v}"),
            _ => Enumerable.Empty<string>(),
        }),
    ];
}
