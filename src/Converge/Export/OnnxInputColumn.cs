using Converge.Data;

namespace Converge.Export;

/// <summary>
/// One column of an exported model's <c>features</c> input: which source column feeds it and how its
/// cells become the float the graph expects.
/// </summary>
/// <param name="Index">Position in the input row (0-based).</param>
/// <param name="Name">The source (CSV) column name.</param>
/// <param name="Kind">Numeric or categorical (dropped columns are not part of the input).</param>
/// <param name="ImputeValue">Numeric: the training median the graph substitutes for NaN.</param>
/// <param name="ImputeCategory">Categorical: the most frequent training category the graph substitutes for NaN.</param>
/// <param name="Vocabulary">Categorical: the categories; a cell is fed as its 0-based index here.</param>
public sealed record OnnxInputColumn(int Index, string Name, ColumnKind Kind, double? ImputeValue, string? ImputeCategory, IReadOnlyList<string>? Vocabulary)
{
    /// <summary>The code fed for a category the model never saw: outside the vocabulary, so its one-hot is all zeros.</summary>
    public const float UnseenCategory = -1f;

    /// <summary>The code fed for a missing value: the graph imputes it.</summary>
    public const float Missing = float.NaN;

    /// <summary>Categorical: the index of <see cref="ImputeCategory"/> in <see cref="Vocabulary"/>.</summary>
    public int? ImputeIndex => Kind == ColumnKind.Categorical ? IndexOf(ImputeCategory!) : null;

    /// <summary>Categorical: the index of <paramref name="category"/> in the vocabulary (ordinal match), or −1 when unseen.</summary>
    public int IndexOf(string category)
    {
        ArgumentNullException.ThrowIfNull(category);
        if (Kind != ColumnKind.Categorical) throw new InvalidOperationException($"OnnxInputColumn: '{Name}' is {Kind}, not categorical.");
        for (var k = 0; k < Vocabulary!.Count; k++)
        {
            if (string.Equals(Vocabulary[k], category, StringComparison.Ordinal)) return k;
        }
        return -1;
    }

    /// <summary>
    /// The input value for one cell: a number for a numeric column, a vocabulary index (−1 when
    /// unseen) for a categorical one, NaN when the cell is missing (null or empty, as a CSV reader
    /// yields for empty fields and missing tokens).
    /// A numeric cell that is not a finite number is a <see cref="DataError"/>, as in Converge.
    /// </summary>
    public float Encode(string? cell, string sourceName = "row", int? lineNumber = null)
    {
        if (string.IsNullOrEmpty(cell)) return Missing;
        if (Kind == ColumnKind.Categorical) return IndexOf(cell);
        if (!ColumnAnalyzer.TryNumber(cell, out var value))
            throw new DataError(sourceName, lineNumber, Name, cell, $"cannot read {DataError.Quote(cell)} as a number.");
        // Converge parses to double and rounds once to float; doing the same keeps the inputs bit-identical.
        return (float)value;
    }
}
