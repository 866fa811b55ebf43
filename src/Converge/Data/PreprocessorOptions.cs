namespace Converge.Data;

/// <summary>What to do with a missing feature value.</summary>
public enum MissingPolicy
{
    /// <summary>Numeric: the training median; categorical: the most frequent training category.</summary>
    Impute,

    /// <summary>A missing feature value is a <see cref="DataError"/> naming its line and column.</summary>
    Error,
}

/// <summary>How numeric columns are put on a common scale in the preprocessing.</summary>
public enum NumericScaling
{
    /// <summary>
    /// (x − median)/IQR (half the range when the IQR is 0), then the smooth clip z/√(1 + (z/3)²), which
    /// keeps outliers within ±3 (RealMLP's robust scaling, Holzmüller et al. 2024).
    /// </summary>
    Robust,

    /// <summary>The raw number (the trainer's standardization, if any, still applies).</summary>
    None,
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

    /// <summary>
    /// A categorical column with more training levels than this one-hot encodes its most frequent levels
    /// that have <see cref="MinCategoryRows"/> rows or more, at most this many; the others are pooled into <see cref="PreprocessingSpec.OtherLevel"/> (an id or free text, nearly unique, is dropped instead).
    /// </summary>
    public int MaxCategories { get; init; } = 20;

    /// <summary>In a column with more than <see cref="MaxCategories"/> levels, a level with fewer training rows than this is pooled into <see cref="PreprocessingSpec.OtherLevel"/> (too rare to learn a weight for).</summary>
    public int MinCategoryRows { get; init; } = 3;

    /// <summary>How numeric columns are scaled (fitted on the training rows).</summary>
    public NumericScaling Scaling { get; init; } = NumericScaling.Robust;

    /// <summary>Add a 0/1 feature <c>name=(missing)</c> for each numeric column with missing training values, and keep missing categorical values as their own level.</summary>
    public bool MissingIndicators { get; init; } = true;

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
        if (MinCategoryRows < 1) throw new ArgumentException($"PreprocessorOptions: MinCategoryRows must be at least 1, got {MinCategoryRows}.", nameof(MinCategoryRows));
        if (MaxCategories < 1) throw new ArgumentException($"PreprocessorOptions: MaxCategories must be at least 1, got {MaxCategories}.", nameof(MaxCategories));
        if (!(NumericShare is > 0 and <= 1)) throw new ArgumentException($"PreprocessorOptions: NumericShare must be in (0, 1], got {NumericShare}.", nameof(NumericShare));
        if (!(NearlyUniqueShare is > 0 and <= 1)) throw new ArgumentException($"PreprocessorOptions: NearlyUniqueShare must be in (0, 1], got {NearlyUniqueShare}.", nameof(NearlyUniqueShare));
    }
}
