namespace Converge.Data;

/// <summary>How to read a CSV file.</summary>
public sealed record CsvOptions
{
    /// <summary>The default tokens read as a missing value (besides the empty cell), compared exactly.</summary>
    public static readonly IReadOnlyList<string> DefaultMissingTokens =
        ["NA", "N/A", "n/a", "NaN", "nan", "NULL", "null", "None", "?"];

    /// <summary>
    /// Whether the first non-blank line names the columns. Without a header, columns are named by
    /// position: <c>col1</c>, <c>col2</c>, … (the same names are given to blank header cells).
    /// </summary>
    public bool HasHeader { get; init; } = true;

    /// <summary>The field separator; null detects it from the first line (one of <c>, ; \t |</c>).</summary>
    public char? Separator { get; init; }

    /// <summary>How the file's bytes become text; see <see cref="CsvEncoding"/> (default: UTF-8, falling back to Windows-1252 with a notice).</summary>
    public CsvEncoding Encoding { get; init; } = CsvEncoding.Auto;

    /// <summary>
    /// Whether numbers are written with a decimal comma (<c>1234,56</c>, also <c>1.234,56</c>), as in
    /// European spreadsheet exports. Null decides from the separator: on for <c>;</c>-separated files
    /// (where a comma cannot be a field separator), off otherwise. Only cells that read as a whole
    /// decimal-comma number are converted; a notice counts them per column.
    /// </summary>
    public bool? DecimalComma { get; init; }

    /// <summary>Cell texts (after trimming) that mean "missing"; the empty cell is always missing.</summary>
    public IReadOnlyList<string> MissingTokens { get; init; } = DefaultMissingTokens;

    /// <summary>The name given to the column at 0-based <paramref name="index"/> when the file has no header.</summary>
    public static string PositionalName(int index) => $"col{index + 1}";
}
