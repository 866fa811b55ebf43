using System.Globalization;

namespace Converge.Data;

/// <summary>
/// Decides, from the training rows only, how one column becomes features. The rules, in order:
/// no training values → dropped; forced by <see cref="PreprocessorOptions.Keep"/> → categorical;
/// every value a number → numeric (dropped if constant); at least
/// <see cref="PreprocessorOptions.NumericShare"/> numbers → a <see cref="DataError"/> naming the first
/// value that is not (a typo in a numeric column should be fixed, not silently turn the column into
/// text); otherwise text: constant → dropped; more than <see cref="PreprocessorOptions.MaxCategories"/>
/// distinct values or nearly unique → dropped as an id or free text; else categorical.
/// </summary>
internal static class ColumnAnalyzer
{
    /// <summary>A numeric column this long whose values are the distinct integers lo..hi is flagged as a likely row id.</summary>
    private const int MinRowsForIdWarning = 20;

    public static ColumnSpec Analyze(CsvTable table, int column, IReadOnlyList<int> trainRows, PreprocessorOptions options, bool keep, List<DataNotice> notices)
    {
        var name = table.ColumnNames[column];
        var cells = table.Column(column);
        var values = new List<string>(trainRows.Count);
        var numbers = new List<double>(trainRows.Count);
        int? firstBadRow = null;
        foreach (var r in trainRows)
        {
            var cell = cells[r];
            if (cell is null)
            {
                if (options.MissingPolicy == MissingPolicy.Error)
                    throw new DataError(table.SourceName, table.LineNumber(r), name, null, "the value is missing (the missing-value policy is Error).");
                continue;
            }
            values.Add(cell);
            if (TryNumber(cell, out var x)) numbers.Add(x);
            else firstBadRow ??= r;
        }
        var missing = trainRows.Count - values.Count;

        if (values.Count == 0) return Dropped(name, "it has no values in the training rows", notices);
        if (keep) return Categorical(name, values, missing, notices);
        if (firstBadRow is null) return Numeric(name, numbers, missing, notices);
        if (numbers.Count >= options.NumericShare * values.Count)
        {
            var bad = cells[firstBadRow.Value];
            throw new DataError(table.SourceName, table.LineNumber(firstBadRow.Value), name, bad,
                $"cannot read {DataError.Quote(bad)} as a number ({numbers.Count} of {values.Count} values in this column are numbers); "
                + "fix it, leave it empty to impute it, or ignore the column or keep it as categorical.");
        }

        var distinct = values.Distinct(StringComparer.Ordinal).Count();
        var mixed = numbers.Count > 0 ? $", {numbers.Count} of them numbers" : "";
        if (distinct == 1) return Dropped(name, $"every training value is {DataError.Quote(values[0])}", notices);
        if (distinct > options.MaxCategories)
            return Dropped(name, $"{distinct} distinct text values{mixed} (more than {options.MaxCategories}; looks like an id or free text)", notices);
        if (distinct > 2 && distinct >= options.NearlyUniqueShare * values.Count)
            return Dropped(name, $"{distinct} distinct text values in {values.Count} rows{mixed} (nearly unique; looks like an id or free text)", notices);
        return Categorical(name, values, missing, notices);
    }

    /// <summary>The median by the usual rule: the mean of the two middle values for an even count.</summary>
    public static double Median(List<double> numbers)
    {
        numbers.Sort();
        var n = numbers.Count;
        return n % 2 == 1 ? numbers[n / 2] : (numbers[n / 2 - 1] + numbers[n / 2]) / 2;
    }

    public static bool TryNumber(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    public static string Format(double value) => value.ToString("G6", CultureInfo.InvariantCulture);

    private static ColumnSpec Numeric(string name, List<double> numbers, int missing, List<DataNotice> notices)
    {
        var median = Median(numbers);
        if (numbers[0] == numbers[^1]) return Dropped(name, $"every training value is {Format(numbers[0])}", notices);
        if (numbers.Count >= MinRowsForIdWarning && LooksLikeRowId(numbers))
            notices.Add(new(name, $"column '{name}' holds the distinct integers {Format(numbers[0])}..{Format(numbers[^1])}; if it is a row id, ignore it."));
        if (missing > 0) notices.Add(new(name, $"imputed {Plural.Of(missing, "missing value")} in '{name}' with median {Format(median)}"));
        return new ColumnSpec { Name = name, Kind = ColumnKind.Numeric, ImputeValue = median };
    }

    private static ColumnSpec Categorical(string name, List<string> values, int missing, List<DataNotice> notices)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var v in values) counts[v] = counts.GetValueOrDefault(v) + 1;
        string[] vocabulary = [.. counts.Keys.Order(StringComparer.Ordinal)];
        // Ties go to the first in vocabulary order, so the choice does not depend on row order.
        var mostFrequent = vocabulary.MaxBy(v => counts[v])!;
        if (missing > 0) notices.Add(new(name, $"imputed {Plural.Of(missing, "missing value")} in '{name}' with most frequent {DataError.Quote(mostFrequent)}"));
        return new ColumnSpec { Name = name, Kind = ColumnKind.Categorical, Vocabulary = vocabulary, ImputeCategory = mostFrequent };
    }

    private static ColumnSpec Dropped(string name, string reason, List<DataNotice> notices)
    {
        notices.Add(new(name, $"dropped column '{name}': {reason}"));
        return new ColumnSpec { Name = name, Kind = ColumnKind.Dropped, Reason = reason };
    }

    /// <summary>Sorted numbers that are exactly the integers lo, lo+1, …, hi.</summary>
    private static bool LooksLikeRowId(List<double> sorted)
    {
        for (var i = 0; i < sorted.Count; i++)
        {
            if (sorted[i] != sorted[0] + i) return false;
        }
        return double.IsInteger(sorted[0]);
    }
}
