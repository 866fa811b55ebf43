using System.Globalization;
using nietras.SeparatedValues;

namespace Converge.Data;

/// <summary>
/// Reads a CSV file one row at a time, so files larger than memory can be streamed (e.g. by
/// <c>converge predict</c>). It applies every check <see cref="CsvTable.Read(string, CsvOptions?, IProgress{CsvReadProgress}?)"/>
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
    private readonly bool _decimalComma;
    private readonly int[] _decimalCommaCounts;
    private readonly string?[] _decimalCommaExample;
    private char[] _scratch = new char[64];
    private char[] _unescaped = new char[64];
    private CsvTextDecoder? _decoder;

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
        _decimalComma = options.DecimalComma ?? Separator == ';';
        _decimalCommaCounts = new int[ColumnNames.Count];
        _decimalCommaExample = new string?[ColumnNames.Count];
        if (_decimalComma && _pending is { } row) _pending = row with { Cells = ReadDecimalCommas(row.Cells) };
    }

    /// <summary>
    /// What reading decided on the user's behalf so far: an encoding other than UTF-8, and per column
    /// the count of decimal-comma numbers read as numbers. Complete once every row has been read.
    /// </summary>
    public IReadOnlyList<DataNotice> Notices
    {
        get
        {
            var notices = new List<DataNotice>();
            if (_decoder?.Notice is { } encoding) notices.Add(encoding);
            for (var c = 0; c < _decimalCommaCounts.Length; c++)
            {
                if (_decimalCommaCounts[c] == 0) continue;
                var n = _decimalCommaCounts[c];
                notices.Add(new DataNotice(ColumnNames[c], string.Create(CultureInfo.InvariantCulture,
                    $"read {Plural.Of(n, "value")} with a decimal comma in {DataError.Quote(ColumnNames[c])} as {(n == 1 ? "a number" : "numbers")} (e.g. {DataError.Quote(_decimalCommaExample[c])})")));
            }
            return notices;
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
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DataError(path, null, null, null, $"cannot read the file: {ex.Message}", ex);
        }
        var reader = Open(stream, path, options);
        reader.TotalBytes = stream.Length;
        return reader;
    }

    /// <summary>
    /// Reads CSV bytes from a stream that need not seek (a pipe, standard input), decoding them by
    /// <see cref="CsvOptions.Encoding"/>; the stream is disposed with the reader unless <paramref name="leaveOpen"/>.
    /// </summary>
    public static CsvRowReader Open(Stream stream, string sourceName, CsvOptions? options = null, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        options ??= new CsvOptions();
        try
        {
            CsvTextDecoder? text = null;
            try
            {
                text = CsvTextDecoder.Open(stream, sourceName, options.Encoding, leaveOpen, SniffBinary);
                var reader = Open(text, sourceName, options);
                reader._decoder = text;
                return reader;
            }
            catch
            {
                if (text is not null) text.Dispose();
                else if (!leaveOpen) stream.Dispose();
                throw;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DataError(sourceName, null, null, null, $"cannot read the file: {ex.Message}", ex);
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
        if (sepRow.ColCount != ColumnNames.Count) throw WrongFieldCount(next.LineNumber, sepRow.ColCount);
        row = new CsvRow(next.LineNumber, _decimalComma ? ReadDecimalCommas(cells) : cells);
        return true;
    }

    private DataError WrongFieldCount(int line, int found)
    {
        var like = HeaderLine is null ? "the first row" : "the header";
        var hint = found > ColumnNames.Count
            ? $"; a value that contains {DataError.Quote(Separator.ToString())} must be quoted"
            : "";
        return new DataError(SourceName, line, null, null,
            $"expected {ColumnNames.Count} fields (like {like}) but found {found}{hint}.");
    }

    /// <summary>All remaining rows, lazily.</summary>
    public IEnumerable<CsvRow> ReadRows()
    {
        while (TryReadRow(out var row)) yield return row;
    }

    /// <summary>Closes the underlying reader and stream.</summary>
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
            var span = ReadCell(row, i, isFirst, isHeader, out var missing);
            cells[i] = missing ? null : Intern(i, span);
        }
        return cells;
    }

    /// <summary>
    /// One cell, unquoted and unescaped (the span may point into a buffer reused by the next call);
    /// <paramref name="missing"/> for an empty value or an unquoted missing token.
    /// </summary>
    private ReadOnlySpan<char> ReadCell(SepReader.Row row, int i, bool isFirst, bool isHeader, out bool missing)
    {
        var raw = row[i].Span;
        // A UTF-8 BOM survives when the caller hands us a string or a reader that did not strip it.
        if (isFirst && i == 0 && raw.StartsWith('\uFEFF')) raw = raw[1..];
        var span = Unquote(raw, row, i, isHeader, out var quoted);
        missing = span.IsEmpty || (!quoted && !isHeader && _missing.Contains(span));
        if (missing || !quoted || !span.Contains('"')) return span;
        if (_unescaped.Length < span.Length) _unescaped = new char[span.Length * 2];
        var length = 0;
        for (var k = 0; k < span.Length; k++)
        {
            _unescaped[length++] = span[k];
            if (span[k] == '"') k++;
        }
        return _unescaped.AsSpan(0, length);
    }

    /// <summary>
    /// Reads the next data row straight into <paramref name="columns"/> (one per column), with every
    /// check and rewrite <see cref="TryReadRow"/> makes but no string per cell; false at the end.
    /// </summary>
    internal bool TryReadInto(CellColumn[] columns, out int lineNumber)
    {
        if (_pending is { } pending)
        {
            _pending = null;
            for (var c = 0; c < columns.Length; c++)
            {
                if (pending.Cells[c] is { } cell) columns[c].Add(cell);
                else columns[c].AddMissing();
            }
            lineNumber = pending.LineNumber;
            return true;
        }
        if (NextNonBlank() is not { } next)
        {
            lineNumber = 0;
            return false;
        }
        var sepRow = _reader.Current;
        // Cells first, as TryReadRow: a stray quote makes Sep merge lines, and the quote is what to report.
        var count = sepRow.ColCount;
        for (var i = 0; i < count; i++)
        {
            var span = ReadCell(sepRow, i, isFirst: false, isHeader: false, out var missing);
            if (i >= columns.Length) continue;
            if (missing)
            {
                columns[i].AddMissing();
                continue;
            }
            if (_decimalComma && span.Contains(','))
            {
                if (_scratch.Length < span.Length) _scratch = new char[span.Length * 2];
                if (DecimalCommaNumber.TryRewrite(span, _scratch, out var length))
                {
                    _decimalCommaCounts[i]++;
                    _decimalCommaExample[i] ??= span.ToString();
                    span = _scratch.AsSpan(0, length);
                }
            }
            columns[i].Add(span);
        }
        if (count != ColumnNames.Count) throw WrongFieldCount(next.LineNumber, count);
        lineNumber = next.LineNumber;
        return true;
    }

    /// <summary>Bytes of the underlying stream read so far (0 when reading from a <see cref="TextReader"/>).</summary>
    internal long BytesRead => _decoder?.BytesRead ?? 0;

    /// <summary>The size of the file being read, when known.</summary>
    internal long? TotalBytes { get; private set; }

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

    /// <summary>Rewrites each cell that is a whole decimal-comma number ("-1.234,5") in invariant form ("-1234.5").</summary>
    private string?[] ReadDecimalCommas(IReadOnlyList<string?> read)
    {
        var cells = (string?[])read;
        for (var i = 0; i < cells.Length; i++)
        {
            if (cells[i] is not { } cell || !cell.Contains(',', StringComparison.Ordinal)) continue;
            if (_scratch.Length < cell.Length) _scratch = new char[cell.Length * 2];
            if (!DecimalCommaNumber.TryRewrite(cell, _scratch, out var length)) continue;
            _decimalCommaCounts[i]++;
            _decimalCommaExample[i] ??= cell;
            cells[i] = Intern(i, _scratch.AsSpan(0, length));
        }
        return cells;
    }

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

    private static void SniffBinary(ReadOnlySpan<byte> head, string name)
    {
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
