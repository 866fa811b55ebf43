using System.Globalization;

namespace Converge.Data;

/// <summary>
/// Decides, from the training rows only, how one column becomes features. The rules, in order:
/// no training values → dropped; forced by <see cref="PreprocessorOptions.Keep"/> → categorical;
/// every value a number → numeric (dropped if constant); at least
/// <see cref="PreprocessorOptions.NumericShare"/> numbers → a <see cref="DataError"/> naming the first
/// value that is not (a typo in a numeric column should be fixed, not silently turn the column into
/// text); a numeric row id (distinct integers, one per row, consecutive or increasing down the file)
/// → dropped; otherwise text: constant → dropped; nearly unique → dropped as an id or free text; else
/// categorical, its rare levels (and those beyond <see cref="PreprocessorOptions.MaxCategories"/>)
/// pooled into <see cref="PreprocessingSpec.OtherLevel"/> and missing values as their own level.
/// </summary>
internal static class ColumnAnalyzer
{
    /// <summary>A numeric column with at least this many rows whose values are distinct integers in row order (or lo..hi) is a row id.</summary>
    private const int MinRowsForId = 20;

    // scratch holds the column's numbers, reused from column to column (one big allocation, not one per column); null for a new list.
    public static ColumnSpec Analyze(CsvTable table, int column, IReadOnlyList<int> trainRows, PreprocessorOptions options, bool keep, List<DataNotice> notices,
        List<double>? scratch = null)
    {
        var name = table.ColumnNames[column];
        // Numbers first, straight from the table's store; the cells' text is made only for a column that needs it.
        var numbers = scratch ?? new List<double>(trainRows.Count);
        numbers.Clear();
        var present = 0;
        var increasing = true;
        int? firstBadRow = null;
        foreach (var r in trainRows)
        {
            if (table.IsMissing(r, column))
            {
                if (options.MissingPolicy == MissingPolicy.Error)
                    throw new DataError(table.SourceName, table.LineNumber(r), name, null, "the value is missing (the missing-value policy is Error).");
                continue;
            }
            present++;
            if (table.TryGetNumber(r, column, out var x))
            {
                if (numbers.Count > 0 && !(x > numbers[^1])) increasing = false;
                numbers.Add(x);
            }
            else firstBadRow ??= r;
        }
        var missing = trainRows.Count - present;

        if (present == 0) return Dropped(name, "it has no values in the training rows", notices);
        // A column kept as asked keeps every level: the user chose it, so nothing is pooled.
        if (keep) return Categorical(name, Texts(table, column, trainRows, present), missing, options with { MaxCategories = int.MaxValue }, notices);
        if (firstBadRow is null) return Numeric(name, numbers, missing, increasing, options, notices);
        if (numbers.Count >= options.NumericShare * present)
        {
            var bad = table[firstBadRow.Value, column];
            throw new DataError(table.SourceName, table.LineNumber(firstBadRow.Value), name, bad,
                $"cannot read {DataError.Quote(bad)} as a number ({numbers.Count} of {present} values in this column are numbers); "
                + "fix it, leave it empty to impute it, or ignore the column or keep it as categorical.");
        }

        var values = Texts(table, column, trainRows, present);
        var distinct = values.Distinct(StringComparer.Ordinal).Count();
        var mixed = numbers.Count > 0 ? $", {numbers.Count} of them numbers" : "";
        if (distinct == 1) return Dropped(name, $"every training value is {DataError.Quote(values[0])}", notices);
        if (distinct > 2 && distinct >= options.NearlyUniqueShare * values.Count)
            return Dropped(name, $"{distinct} distinct text values in {values.Count} rows{mixed} (nearly unique; looks like an id or free text)", notices);
        return Categorical(name, values, missing, options, notices);
    }

    /// <summary>The present cells of the training rows as text, in row order.</summary>
    private static List<string> Texts(CsvTable table, int column, IReadOnlyList<int> trainRows, int present)
    {
        var values = new List<string>(present);
        foreach (var r in trainRows)
        {
            if (table[r, column] is { } cell) values.Add(cell);
        }
        return values;
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

    private static ColumnSpec Numeric(string name, List<double> numbers, int missing, bool increasing, PreprocessorOptions options, List<DataNotice> notices)
    {
        var median = Median(numbers);
        if (numbers[0] == numbers[^1]) return Dropped(name, $"every training value is {Format(numbers[0])}", notices);
        if (missing == 0 && numbers.Count >= MinRowsForId && LooksLikeRowId(numbers, increasing))
            return Dropped(name, $"its values are the distinct integers {Format(numbers[0])}..{Format(numbers[^1])}, one per row{(increasing ? " and increasing down the file" : "")} (looks like a row id; --keep it to use it as a category)", notices);
        var indicator = missing > 0 && options.MissingIndicators;
        if (missing > 0)
            notices.Add(new(name, $"imputed {Plural.Of(missing, "missing value")} in '{name}' with median {Format(median)}" + (indicator ? $" (and flagged them in '{name}={PreprocessingSpec.MissingLevel}')" : "")));
        if (options.Scaling == NumericScaling.None)
            return new ColumnSpec { Name = name, Kind = ColumnKind.Numeric, ImputeValue = median, MissingIndicator = indicator };
        var spread = Quantile(numbers, 0.75) - Quantile(numbers, 0.25);
        if (!(spread > 0)) spread = (numbers[^1] - numbers[0]) / 2;
        return new ColumnSpec { Name = name, Kind = ColumnKind.Numeric, ImputeValue = median, Center = median, Spread = spread, Clip = true, MissingIndicator = indicator };
    }

    /// <summary>The q-quantile of sorted numbers with linear interpolation between order statistics (NumPy's default).</summary>
    public static double Quantile(List<double> sorted, double q)
    {
        var position = q * (sorted.Count - 1);
        var low = (int)Math.Floor(position);
        var high = Math.Min(low + 1, sorted.Count - 1);
        return sorted[low] + (position - low) * (sorted[high] - sorted[low]);
    }

    private static ColumnSpec Categorical(string name, List<string> values, int missing, PreprocessorOptions options, List<DataNotice> notices)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var v in values) counts[v] = counts.GetValueOrDefault(v) + 1;
        // The most frequent levels with enough rows are kept (ties by ordinal order, so the choice does not depend on row order).
        var ranked = counts.Keys.Order(StringComparer.Ordinal).OrderByDescending(v => counts[v]).ToList();
        // Only a column with more levels than MaxCategories pools: its levels with too few rows, and those beyond the first MaxCategories.
        var kept = (ranked.Count <= options.MaxCategories ? ranked : ranked.Where(v => counts[v] >= options.MinCategoryRows).Take(options.MaxCategories))
            .ToHashSet(StringComparer.Ordinal);
        if (kept.Count == 0) return Dropped(name, $"{ranked.Count} distinct text values, none in {options.MinCategoryRows} or more training rows (looks like an id or free text)", notices);
        var pooled = ranked.Where(v => !kept.Contains(v)).ToList();
        var vocabulary = kept.Order(StringComparer.Ordinal).ToList();
        string? other = null;
        if (pooled.Count > 0)
        {
            other = Reserved(PreprocessingSpec.OtherLevel, counts);
            vocabulary.Add(other);
            notices.Add(new(name, $"pooled {Plural.Of(pooled.Count, "rare level")} of '{name}' ({pooled.Sum(v => counts[v])} rows; first: {DataError.QuoteList(pooled, 3)}) into {DataError.Quote(other)}, where unseen levels go too"));
        }
        var mostFrequent = ranked[0];
        string impute;
        if (missing > 0 && options.MissingIndicators)
        {
            impute = Reserved(PreprocessingSpec.MissingLevel, counts);
            vocabulary.Add(impute);
            notices.Add(new(name, $"encoded {Plural.Of(missing, "missing value")} in '{name}' as their own level {DataError.Quote(impute)}"));
        }
        else
        {
            impute = kept.Contains(mostFrequent) ? mostFrequent : other!;
            if (missing > 0) notices.Add(new(name, $"imputed {Plural.Of(missing, "missing value")} in '{name}' with most frequent {DataError.Quote(impute)}"));
        }
        return new ColumnSpec { Name = name, Kind = ColumnKind.Categorical, Vocabulary = vocabulary, ImputeCategory = impute, OtherCategory = other };
    }

    // A reserved level name that is not one of the column's own values ("(other)", else "((other))", …).
    private static string Reserved(string level, Dictionary<string, int> counts)
    {
        while (counts.ContainsKey(level)) level = "(" + level + ")";
        return level;
    }

    private static ColumnSpec Dropped(string name, string reason, List<DataNotice> notices)
    {
        notices.Add(new(name, $"dropped column '{name}': {reason}"));
        return new ColumnSpec { Name = name, Kind = ColumnKind.Dropped, Reason = reason };
    }

    /// <summary>Integers, each value once, and either increasing down the file or exactly lo, lo+1, …, hi (sorted).</summary>
    private static bool LooksLikeRowId(List<double> sorted, bool increasing)
    {
        var consecutive = true;
        for (var i = 0; i < sorted.Count; i++)
        {
            if (!double.IsInteger(sorted[i]) || (i > 0 && sorted[i] == sorted[i - 1])) return false;
            if (sorted[i] != sorted[0] + i) consecutive = false;
        }
        return consecutive || increasing;
    }
}
