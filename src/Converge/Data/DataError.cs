using System.Globalization;
using System.Text;

namespace Converge.Data;

/// <summary>
/// A mistake in the user's data or arguments, located as precisely as we can: file, physical line
/// (1-based; a header is line 1), column and offending value. <see cref="Exception.Message"/> is a
/// single line that names all of them, e.g.
/// <c>data.csv, line 7, column 'age': cannot read 'abc' as a number.</c>, so a CLI can print it as is.
/// </summary>
public sealed class DataError : Exception
{
    private const int MaxQuotedLength = 60;

    /// <summary>A data error at <paramref name="file"/>, optionally a line, a column and the offending value; <paramref name="problem"/> is the message without the location.</summary>
    public DataError(string file, int? line, string? column, string? value, string problem, Exception? innerException = null)
        : base(Format(file, line, column, problem), innerException)
    {
        File = file;
        Line = line;
        Column = column;
        Value = value;
        Problem = problem;
    }

    /// <summary>The file (or source name) the data came from.</summary>
    public string File { get; }

    /// <summary>1-based physical line in the file, when one line is at fault.</summary>
    public int? Line { get; }

    /// <summary>The column name (or 1-based position), when one column is at fault.</summary>
    public string? Column { get; }

    /// <summary>The offending cell value, when one value is at fault.</summary>
    public string? Value { get; }

    /// <summary>The problem alone, without the location prefix.</summary>
    public string Problem { get; }

    /// <summary>Quotes a value for a message: <c>'abc'</c>; long values are cut and control characters escaped.</summary>
    public static string Quote(string? value)
    {
        if (value is null) return "(missing)";
        var text = value.Length > MaxQuotedLength ? string.Concat(value.AsSpan(0, MaxQuotedLength), "…") : value;
        var builder = new StringBuilder(text.Length + 2).Append('\'');
        foreach (var c in text)
        {
            if (char.IsControl(c)) builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            else builder.Append(c);
        }
        return builder.Append('\'').ToString();
    }

    /// <summary>A short list of names for a message: <c>'a', 'b', 'c'</c>, cut after <paramref name="max"/>.</summary>
    public static string QuoteList(IEnumerable<string> values, int max = 10)
    {
        var list = values.ToList();
        var shown = string.Join(", ", list.Take(max).Select(Quote));
        return list.Count > max ? $"{shown}, … ({list.Count} in all)" : shown;
    }

    private static string Format(string file, int? line, string? column, string problem)
    {
        var builder = new StringBuilder(file);
        if (line is { } l) builder.Append(CultureInfo.InvariantCulture, $", line {l}");
        if (column is not null) builder.Append(", column ").Append(Quote(column));
        return builder.Append(": ").Append(problem).ToString();
    }
}
