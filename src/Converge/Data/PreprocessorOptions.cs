namespace Converge.Data;

/// <summary>What to do with a missing feature value.</summary>
public enum MissingPolicy
{
    /// <summary>Numeric: the training median; categorical: the most frequent training category.</summary>
    Impute,

    /// <summary>A missing feature value is a <see cref="DataError"/> naming its line and column.</summary>
    Error,
}

/// <summary>How to turn a <see cref="CsvTable"/> into features for a binary classifier.</summary>
public sealed record PreprocessorOptions
{
    /// <summary>The label column (two classes).</summary>
    public required string Label { get; init; }

    /// <summary>The label value that is the positive class (encoded 1); null applies <see cref="LabelMapping"/>'s rule.</summary>
    public string? Positive { get; init; }

    /// <summary>Columns to leave out of the features.</summary>
    public IReadOnlyList<string> Ignore { get; init; } = [];

    /// <summary>Columns forced to be categorical (one-hot), however many distinct values they have, even if numeric.</summary>
    public IReadOnlyList<string> Keep { get; init; } = [];

    public MissingPolicy MissingPolicy { get; init; } = MissingPolicy.Impute;

    /// <summary>A text column with at most this many distinct training values becomes categorical; one with more is dropped.</summary>
    public int MaxCategories { get; init; } = 20;

    /// <summary>
    /// A column whose numeric share of non-missing training values is at least this is numeric with
    /// bad values, which is a <see cref="DataError"/> naming the first one; below it, the column is text.
    /// </summary>
    public double NumericShare { get; init; } = 0.9;

    /// <summary>A text column with more than two distinct values is "nearly unique" (an id or free text) when distinct/non-missing is at least this.</summary>
    public double NearlyUniqueShare { get; init; } = 0.9;

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(Label)) throw new ArgumentException("PreprocessorOptions: Label must name a column.", nameof(Label));
        if (MaxCategories < 1) throw new ArgumentException($"PreprocessorOptions: MaxCategories must be at least 1, got {MaxCategories}.", nameof(MaxCategories));
        if (!(NumericShare is > 0 and <= 1)) throw new ArgumentException($"PreprocessorOptions: NumericShare must be in (0, 1], got {NumericShare}.", nameof(NumericShare));
        if (!(NearlyUniqueShare is > 0 and <= 1)) throw new ArgumentException($"PreprocessorOptions: NearlyUniqueShare must be in (0, 1], got {NearlyUniqueShare}.", nameof(NearlyUniqueShare));
    }
}
