using System.Globalization;

namespace Converge.Data;

/// <summary>
/// The label column and which of its two values is the positive class (encoded 1). The positive
/// class is: the larger number when both values are numbers (0/1, −1/1, 2/4); "true" of true/false
/// and "yes" of yes/no (any case); otherwise the second value in ordinal sort order
/// ("benign"/"malignant" → "malignant").
/// </summary>
/// <param name="Column">The label column name.</param>
/// <param name="Negative">The value encoded 0.</param>
/// <param name="Positive">The value encoded 1.</param>
public sealed record LabelMapping(string Column, string Negative, string Positive)
{
    private const int ClassesShown = 5;

    /// <summary>
    /// Finds the two classes over every row of the table. All rows, not just training rows: the
    /// stratified split needs the labels before anything is fitted, and the classes leak nothing.
    /// <paramref name="positive"/>, when given, names the positive class (one of the two values)
    /// instead of the rule above; a value that is not a class is a <see cref="DataError"/>.
    /// </summary>
    public static LabelMapping Infer(CsvTable table, string column, string? positive = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        var cells = table.Column(table.RequireColumn(column, "label column"));
        var distinct = new List<string>(2);
        for (var r = 0; r < cells.Count; r++)
        {
            var value = cells[r] ?? throw MissingLabel(table.SourceName, table.LineNumber(r), column);
            if (distinct.Contains(value, StringComparer.Ordinal)) continue;
            if (distinct.Count == 2)
            {
                var shown = cells.OfType<string>().Distinct(StringComparer.Ordinal).Take(ClassesShown + 1).ToList();
                var more = shown.Count > ClassesShown ? ", …" : "";
                throw new DataError(table.SourceName, table.LineNumber(r), column, value,
                    $"the label has more than two classes ({DataError.QuoteList(shown.Take(ClassesShown))}{more}); a binary classifier needs exactly two.");
            }
            distinct.Add(value);
        }
        if (distinct.Count == 0)
            throw new DataError(table.SourceName, null, column, null, "there are no rows, so no label classes.");
        if (distinct.Count < 2)
            throw new DataError(table.SourceName, null, column, distinct[0],
                $"every row has the label {DataError.Quote(distinct[0])}; a binary classifier needs two classes.");
        if (positive is null) return FromClasses(column, distinct[0], distinct[1]);
        var chosen = distinct.FindIndex(d => string.Equals(d, positive, StringComparison.Ordinal));
        if (chosen < 0) chosen = distinct.FindIndex(d => TryNumber(d, out var x) && TryNumber(positive, out var y) && x == y);
        if (chosen < 0)
            throw new DataError(table.SourceName, null, column, positive,
                $"the positive class {DataError.Quote(positive)} is not a value of the label; its classes are {DataError.QuoteList(distinct)}.");
        return new LabelMapping(column, distinct[1 - chosen], distinct[chosen]);
    }

    /// <summary>Orders two distinct class values into (negative, positive) by the rule above.</summary>
    public static LabelMapping FromClasses(string column, string a, string b)
    {
        if (TryNumber(a, out var x) && TryNumber(b, out var y))
            return x < y ? new(column, a, b) : new(column, b, a);
        foreach (var (no, yes) in (ReadOnlySpan<(string, string)>)[("false", "true"), ("no", "yes")])
        {
            if (string.Equals(a, no, StringComparison.OrdinalIgnoreCase) && string.Equals(b, yes, StringComparison.OrdinalIgnoreCase)) return new(column, a, b);
            if (string.Equals(b, no, StringComparison.OrdinalIgnoreCase) && string.Equals(a, yes, StringComparison.OrdinalIgnoreCase)) return new(column, b, a);
        }
        return string.CompareOrdinal(a, b) < 0 ? new(column, a, b) : new(column, b, a);
    }

    /// <summary>Encodes every row's label as 0 or 1.</summary>
    public float[] Encode(CsvTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var cells = table.Column(table.RequireColumn(Column, "label column"));
        var labels = new float[cells.Count];
        for (var r = 0; r < labels.Length; r++) labels[r] = Encode(cells[r], table.SourceName, table.LineNumber(r));
        return labels;
    }

    /// <summary>Encodes one label; a missing or unknown value is a <see cref="DataError"/>.</summary>
    public float Encode(string? value, string sourceName, int? lineNumber)
    {
        if (value is null) throw MissingLabel(sourceName, lineNumber, Column);
        if (string.Equals(value, Positive, StringComparison.Ordinal)) return 1f;
        if (string.Equals(value, Negative, StringComparison.Ordinal)) return 0f;
        // "1.0" in a file whose classes were "0"/"1" is still the positive class.
        if (TryNumber(value, out var v) && TryNumber(Positive, out var p) && TryNumber(Negative, out var n))
        {
            if (v == p) return 1f;
            if (v == n) return 0f;
        }
        throw new DataError(sourceName, lineNumber, Column, value,
            $"the label {DataError.Quote(value)} is neither class: expected {DataError.Quote(Negative)} or {DataError.Quote(Positive)}.");
    }

    private static DataError MissingLabel(string sourceName, int? line, string column) =>
        new(sourceName, line, column, null, "the label is missing; every row needs a label.");

    private static bool TryNumber(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
}
