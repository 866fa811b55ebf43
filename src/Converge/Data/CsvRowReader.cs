using System.Globalization;
using System.Text;
using nietras.SeparatedValues;

namespace Converge.Data;

/// <summary>
/// Reads a CSV file one row at a time, so files larger than memory can be streamed (e.g. by
/// <c>converge predict</c>). It applies every check <see cref="CsvTable.Read(string, CsvOptions?)"/>
/// applies, row by row: blank lines are skipped, a row with the wrong number of fields, a NUL
/// character (a binary file) or a malformed file is a <see cref="DataError"/> naming the line.
/// Unquoted values are trimmed of spaces; quoted values keep theirs. Quoting follows RFC 4180
/// strictly: a quote inside an unquoted value, text after a closing quote, an unclosed quote or a
/// value longer than <see cref="MaxCellLength"/> characters is a <see cref="DataError"/> naming the
/// line and column, never a silent merge of rows.
/// </summary>
public sealed class CsvRowReader : IDisposable
{
    /// <summary>The longest cell accepted, in characters; longer values are a <see cref="DataError"/> (they are broken quotes or not tabular data).</summary>
    public const int MaxCellLength = 1 << 20;

    private const int SniffBytes = 4096;
    private const int MaxInternLength = 32;
    private const int MaxInternedPerColumn = 4096;
    private readonly List<HashSet<string>> _interned = [];
    private readonly SepReader _reader;
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _missing;
    private CsvRow? _pending;
    private readonly int _skippedLines;
    private int _lastLine;

    private CsvRowReader(SepReader reader, string sourceName, CsvOptions options, int skippedLines)
    {
        _reader = reader;
        _skippedLines = skippedLines;
        SourceName = sourceName;
        _missing = new HashSet<string>(options.MissingTokens, StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
        var first = NextNonBlank() ?? throw new DataError(sourceName, null, null, null, "the file is empty.");
        var cells = ReadCells(_reader.Current, isFirst: true, isHeader: options.HasHeader);
        if (options.HasHeader)
        {
            HeaderLine = first.LineNumber;
            ColumnNames = NameColumns(cells, first.LineNumber);
        }
        else
        {
            ColumnNames = [.. Enumerable.Range(0, cells.Length).Select(CsvOptions.PositionalName)];
            _pending = new CsvRow(first.LineNumber, cells);
        }
    }

    /// <summary>The file name or source name used in messages.</summary>
    public string SourceName { get; }

    /// <summary>The column names, from the header or by position (<c>col1</c>, <c>col2</c>, …).</summary>
    public IReadOnlyList<string> ColumnNames { get; }

    /// <summary>The line of the header, or null when the file has none.</summary>
    public int? HeaderLine { get; }

    /// <summary>The separator in use (given or detected).</summary>
    public char Separator => _reader.Spec.Sep.Separator;

    /// <summary>Opens a file; a missing, unreadable, empty or binary file is a <see cref="DataError"/>.</summary>
    public static CsvRowReader Open(string path, CsvOptions? options = null)
    {
        if (Directory.Exists(path)) throw new DataError(path, null, null, null, "is a directory, not a CSV file.");
        if (!File.Exists(path)) throw new DataError(path, null, null, null, "file not found.");
        try
        {
            var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            try
            {
                SniffBinary(stream, path);
                var text = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
                return Open(text, path, options);
            }
            catch
            {
                stream.Dispose();
                throw;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DataError(path, null, null, null, $"cannot read the file: {ex.Message}", ex);
        }
    }

    /// <summary>Reads from a text reader (which it disposes unless <paramref name="leaveOpen"/>).</summary>
    public static CsvRowReader Open(TextReader reader, string sourceName, CsvOptions? options = null, bool leaveOpen = false)
    {
        options ??= new CsvOptions();
        Sep? sep;
        try
        {
            sep = options.Separator is { } c ? new Sep(c) : Sep.Auto;
        }
        catch (ArgumentException ex)
        {
            throw new DataError(sourceName, null, null, options.Separator?.ToString(), $"cannot use {DataError.Quote(options.Separator?.ToString())} as a separator.", ex);
        }
        var sepOptions = new SepReaderOptions(sep)
        {
            HasHeader = false,
            DisableColCountCheck = true,
            // Quotes are checked and removed here (see Unquote): Sep would open a quoted run at any quote.
            Unescape = false,
            Trim = SepTrim.None,
            CultureInfo = CultureInfo.InvariantCulture,
        };
        // Sep detects the separator from the first row, so leading blank lines are consumed here.
        var skipped = 0;
        string? first;
        while ((first = reader.ReadLine()) is not null && string.IsNullOrWhiteSpace(first)) skipped++;
        if (first is null)
        {
            if (!leaveOpen) reader.Dispose();
            throw new DataError(sourceName, null, null, null, "the file is empty.");
        }
        var prefixed = new PrefixedReader(first + "\n", reader, leaveOpen);
        var sepReader = Guard(sourceName, skipped + 1, () => sepOptions.From(prefixed));
        try
        {
            return new CsvRowReader(sepReader, sourceName, options, skipped);
        }
        catch
        {
            sepReader.Dispose();
            throw;
        }
    }

    /// <summary>Reads the next data row; false at the end of the file.</summary>
    public bool TryReadRow(out CsvRow row)
    {
        if (_pending is { } pending)
        {
            _pending = null;
            row = pending;
            return true;
        }
        if (NextNonBlank() is not { } next)
        {
            row = default;
            return false;
        }
        var sepRow = _reader.Current;
        // Cells first: a stray quote makes Sep merge lines, and the quote is what to report.
        var cells = ReadCells(sepRow, isFirst: false, isHeader: false);
        if (sepRow.ColCount != ColumnNames.Count)
        {
            var like = HeaderLine is null ? "the first row" : "the header";
            var hint = sepRow.ColCount > ColumnNames.Count
                ? $"; a value that contains {DataError.Quote(Separator.ToString())} must be quoted"
                : "";
            throw new DataError(SourceName, next.LineNumber, null, null,
                $"expected {ColumnNames.Count} fields (like {like}) but found {sepRow.ColCount}{hint}.");
        }
        row = new CsvRow(next.LineNumber, cells);
        return true;
    }

    /// <summary>All remaining rows, lazily.</summary>
    public IEnumerable<CsvRow> ReadRows()
    {
        while (TryReadRow(out var row)) yield return row;
    }

    public void Dispose() => _reader.Dispose();

    /// <summary>Moves to the next non-blank row, checks it is text, and returns its line.</summary>
    private CsvRow? NextNonBlank()
    {
        while (Guard(SourceName, _lastLine + 1, _reader.MoveNext))
        {
            var row = _reader.Current;
            // Sep 0.17 reports line 2 for the first row when HasHeader is false; the first row starts on line 1.
            _lastLine = (row.RowIndex == 0 ? 1 : row.LineNumberFrom) + _skippedLines;
            var span = row.Span;
            if (span.Contains('\0'))
                throw new DataError(SourceName, _lastLine, null, null, "contains a NUL character; this looks like a binary file, not CSV text.");
            if (!span.IsWhiteSpace()) return new CsvRow(_lastLine, []);
        }
        return null;
    }

    private string?[] ReadCells(SepReader.Row row, bool isFirst, bool isHeader)
    {
        var cells = new string?[row.ColCount];
        for (var i = 0; i < cells.Length; i++)
        {
            var raw = row[i].Span;
            // A UTF-8 BOM survives when the caller hands us a string or a reader that did not strip it.
            if (isFirst && i == 0 && raw.StartsWith('\uFEFF')) raw = raw[1..];
            var span = Unquote(raw, row, i, isHeader, out var quoted);
            cells[i] = span.IsEmpty || (!quoted && !isHeader && _missing.Contains(span)) ? null
                : quoted && span.Contains('"') ? Intern(i, span.ToString().Replace("\"\"", "\"", StringComparison.Ordinal))
                : Intern(i, span);
        }
        return cells;
    }

    /// <summary>
    /// One field's value by RFC 4180: unquoted values are trimmed of spaces and may not contain a quote;
    /// a quoted value runs from its opening to its closing quote (inner quotes doubled), with only spaces
    /// outside. Returns the value still escaped (inner quotes doubled); <paramref name="quoted"/> says whether it was quoted.
    /// </summary>
    private ReadOnlySpan<char> Unquote(ReadOnlySpan<char> raw, SepReader.Row row, int column, bool isHeader, out bool quoted)
    {
        quoted = false;
        var field = raw.Trim(' ');
        if (field.Length > MaxCellLength)
            throw CellError(row, column, isHeader, field, string.Create(CultureInfo.InvariantCulture,
                $"the value has {field.Length:N0} characters, more than the {MaxCellLength:N0} a cell may hold (is a quote left open?)."));
        if (field.IsEmpty || field[0] != '"')
        {
            if (field.Contains('"'))
                throw CellError(row, column, isHeader, field,
                    $"a quote inside the unquoted value {DataError.Quote(FirstLine(field).ToString())}; quote the whole value and double the inner quote (\"a\"\"b\"), or remove it.");
            return field;
        }
        var inner = field[1..];
        for (var k = 0; k < inner.Length; k++)
        {
            if (inner[k] != '"') continue;
            if (k + 1 < inner.Length && inner[k + 1] == '"')
            {
                k++;
                continue;
            }
            if (k == inner.Length - 1)
            {
                quoted = true;
                return inner[..k];
            }
            throw CellError(row, column, isHeader, field,
                $"text after the closing quote in {DataError.Quote(FirstLine(field).ToString())}; a quote inside a quoted value must be doubled (\"\").");
        }
        throw CellError(row, column, isHeader, field,
            $"the quoted value {DataError.Quote(FirstLine(field).ToString())} has no closing quote.");
    }

    private DataError CellError(SepReader.Row row, int column, bool isHeader, ReadOnlySpan<char> field, string problem)
    {
        var line = (row.RowIndex == 0 ? 1 : row.LineNumberFrom) + _skippedLines;
        // The first row is read before the column names exist.
        IReadOnlyList<string>? names = ColumnNames;
        var name = !isHeader && names is not null && column < names.Count ? names[column] : CsvOptions.PositionalName(column);
        return new DataError(SourceName, line, name, FirstLine(field).ToString(), problem);
    }

    private static ReadOnlySpan<char> FirstLine(ReadOnlySpan<char> text) =>
        text.IndexOfAny('\r', '\n') is >= 0 and var end ? text[..end] : text;

    /// <summary>Shares the string of short repeated values (categories) so a big table stores each once.</summary>
    private string Intern(int column, ReadOnlySpan<char> span)
    {
        if (span.Length > MaxInternLength) return span.ToString();
        while (_interned.Count <= column) _interned.Add(new HashSet<string>(StringComparer.Ordinal));
        var pool = _interned[column];
        var lookup = pool.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(span, out var shared)) return shared;
        var text = span.ToString();
        if (pool.Count < MaxInternedPerColumn) pool.Add(text);
        return text;
    }

    private string[] NameColumns(string?[] cells, int line)
    {
        var names = new string[cells.Length];
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < names.Length; i++)
        {
            // Missing tokens are still names in a header ("NA" could be a column); only blanks are unnamed.
            var name = string.IsNullOrWhiteSpace(cells[i]) ? CsvOptions.PositionalName(i) : cells[i]!;
            if (seen.TryGetValue(name, out var earlier))
                throw new DataError(SourceName, line, name, name,
                    $"the column name {DataError.Quote(name)} appears twice (columns {earlier + 1} and {i + 1}); column names must be unique.");
            seen[name] = i;
            names[i] = name;
        }
        return names;
    }

    private static void SniffBinary(FileStream stream, string name)
    {
        Span<byte> head = stackalloc byte[SniffBytes];
        var n = stream.ReadAtLeast(head, SniffBytes, throwOnEndOfStream: false);
        stream.Position = 0;
        head = head[..n];
        var utf16 = head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || head.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]);
        if (head.StartsWith((ReadOnlySpan<byte>)[0x1F, 0x8B]))
            throw new DataError(name, null, null, null, "is gzip-compressed; decompress it first.");
        if (head.StartsWith("PK\u0003\u0004"u8))
            throw new DataError(name, null, null, null, "is a zip archive (or an Excel .xlsx file); export or extract it as CSV first.");
        if (!utf16 && head.Contains((byte)0))
            throw new DataError(name, null, null, null, "contains NUL bytes; this looks like a binary file, not CSV text.");
    }

    private static T Guard<T>(string sourceName, int line, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception ex) when (ex is InvalidDataException or NotSupportedException or ArgumentException or FormatException)
        {
            throw new DataError(sourceName, line, null, null, $"cannot parse the CSV: {ex.Message}", ex);
        }
    }
}
