namespace Converge.Data;

/// <summary>
/// A CSV file held in memory column by column (null = missing), with the physical line of every
/// row so later stages can name it in errors. Typing happens later, in <see cref="Preprocessor"/>,
/// on training rows only. Cells are not held as strings: each column keeps its distinct values once
/// with an id per row, and a column of many distinct numbers keeps them as doubles (see
/// <see cref="CellColumn"/>), so a table costs about eight bytes a numeric cell whatever the text.
/// </summary>
public sealed class CsvTable
{
    private readonly CellColumn[] _columns;
    private readonly int[] _lineNumbers;
    private readonly Dictionary<string, int> _index;

    private CsvTable(string sourceName, IReadOnlyList<string> columnNames, CellColumn[] columns, int[] lineNumbers)
    {
        SourceName = sourceName;
        ColumnNames = columnNames;
        _columns = columns;
        _lineNumbers = lineNumbers;
        _index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < columnNames.Count; i++)
        {
            if (!_index.TryAdd(columnNames[i], i))
                throw new DataError(sourceName, null, columnNames[i], null, $"the column name {DataError.Quote(columnNames[i])} appears twice; column names must be unique.");
        }
    }

    /// <summary>The file name or source name used in messages.</summary>
    public string SourceName { get; }

    /// <summary>The column names in file order.</summary>
    public IReadOnlyList<string> ColumnNames { get; }

    /// <summary>What reading decided on the user's behalf (an encoding other than UTF-8, decimal commas read as numbers).</summary>
    public IReadOnlyList<DataNotice> Notices { get; private set; } = [];

    /// <summary>The number of columns.</summary>
    public int ColumnCount => ColumnNames.Count;

    /// <summary>The number of data rows (the header is not counted).</summary>
    public int RowCount => _lineNumbers.Length;

    /// <summary>
    /// The cell at (row, column); null means missing. A number in a column of many distinct numbers
    /// comes back in shortest round-trip form ("1.50" as "1.5"); any other cell as the file had it.
    /// </summary>
    public string? this[int row, int column]
    {
        get
        {
            CheckRow(row);
            return _columns[column].Text(row);
        }
    }

    /// <summary>The cells of one column, one per row; null means missing (a view: the text is made on access).</summary>
    public IReadOnlyList<string?> Column(int index) => new CellList(_columns[index], RowCount);

    /// <summary>The cells of one column by name; an unknown name is a <see cref="DataError"/>.</summary>
    public IReadOnlyList<string?> Column(string name) => Column(RequireColumn(name));

    /// <summary>Whether the cell at (row, column) is missing.</summary>
    internal bool IsMissing(int row, int column) => _columns[column].IsMissing(row);

    /// <summary>The cell as a number (invariant, finite), without making its text; false when missing or not a number.</summary>
    internal bool TryGetNumber(int row, int column, out double value) => _columns[column].TryGetNumber(row, out value);

    /// <summary>The 1-based physical line of a row (a header is line 1).</summary>
    public int LineNumber(int row) => _lineNumbers[row];

    /// <summary>The 0-based index of a column, or -1.</summary>
    public int IndexOf(string name) => _index.TryGetValue(name, out var i) ? i : -1;

    /// <summary>The index of a column; an unknown name is a <see cref="DataError"/> listing the columns.</summary>
    public int RequireColumn(string name, string role = "column") =>
        IndexOf(name) is >= 0 and var i ? i : throw MissingColumn(SourceName, name, ColumnNames, role);

    /// <summary>
    /// Reads a whole CSV file; see <see cref="CsvRowReader"/> for what is checked. <paramref name="progress"/>,
    /// when given, hears the rows and bytes read every <see cref="ProgressEveryRows"/> rows and once at the end.
    /// </summary>
    public static CsvTable Read(string path, CsvOptions? options = null, IProgress<CsvReadProgress>? progress = null)
    {
        using var reader = CsvRowReader.Open(path, options);
        return Collect(reader, progress);
    }

    /// <summary>Reads CSV text from a reader (left open), naming it <paramref name="sourceName"/> in messages.</summary>
    public static CsvTable Read(TextReader reader, string sourceName, CsvOptions? options = null, IProgress<CsvReadProgress>? progress = null)
    {
        using var rows = CsvRowReader.Open(reader, sourceName, options, leaveOpen: true);
        return Collect(rows, progress);
    }

    /// <summary>Reads CSV bytes from a stream (a pipe or standard input; left open), naming it <paramref name="sourceName"/> in messages.</summary>
    public static CsvTable Read(Stream stream, string sourceName, CsvOptions? options = null, IProgress<CsvReadProgress>? progress = null)
    {
        using var rows = CsvRowReader.Open(stream, sourceName, options, leaveOpen: true);
        return Collect(rows, progress);
    }

    /// <summary>How often <see cref="Read(string, CsvOptions?, IProgress{CsvReadProgress}?)"/> reports, in rows.</summary>
    public const int ProgressEveryRows = 1 << 14;

    /// <summary>Opens a file for row-by-row reading without loading it (for prediction on big files).</summary>
    public static CsvRowReader Stream(string path, CsvOptions? options = null) => CsvRowReader.Open(path, options);

    /// <summary>Builds a table from columns of cells (e.g. generated data); lines are numbered as if under a header.</summary>
    public static CsvTable FromColumns(string sourceName, IReadOnlyList<string> columnNames, IReadOnlyList<IReadOnlyList<string?>> columns)
    {
        ArgumentNullException.ThrowIfNull(columnNames);
        ArgumentNullException.ThrowIfNull(columns);
        if (columns.Count != columnNames.Count)
            throw new ArgumentException($"CsvTable: {columnNames.Count} column names but {columns.Count} columns.", nameof(columns));
        var rows = columns.Count == 0 ? 0 : columns[0].Count;
        var store = new CellColumn[columns.Count];
        for (var c = 0; c < columns.Count; c++)
        {
            if (columns[c].Count != rows)
                throw new ArgumentException($"CsvTable: column {DataError.Quote(columnNames[c])} has {columns[c].Count} cells, expected {rows}.", nameof(columns));
            store[c] = new CellColumn();
            foreach (var v in columns[c])
            {
                if (string.IsNullOrEmpty(v)) store[c].AddMissing();
                else store[c].Add(v);
            }
            store[c].Complete();
        }
        return new CsvTable(sourceName, [.. columnNames], store, [.. Enumerable.Range(2, rows)]);
    }

    internal static DataError MissingColumn(string sourceName, string name, IReadOnlyList<string> available, string role)
    {
        var near = available.FirstOrDefault(a => string.Equals(a, name, StringComparison.OrdinalIgnoreCase));
        var hint = near is null ? "" : $" (did you mean {DataError.Quote(near)}? names are case-sensitive)";
        return new DataError(sourceName, null, name, null,
            $"no {role} named {DataError.Quote(name)}{hint}; the columns are {DataError.QuoteList(available, 20)}.");
    }

    /// <summary>
    /// <see cref="MissingColumn"/> for every name at once, so a user fixes them in one go;
    /// <paramref name="why"/> says why they are needed, e.g. "the model needs them".
    /// </summary>
    internal static DataError MissingColumns(string sourceName, IReadOnlyList<string> names, IReadOnlyList<string> available, string role, string why)
    {
        if (names.Count == 1) return MissingColumn(sourceName, names[0], available, role);
        var near = names
            .Select(n => (Name: n, Near: available.FirstOrDefault(a => string.Equals(a, n, StringComparison.OrdinalIgnoreCase))))
            .Where(static p => p.Near is not null)
            .Select(static p => $"{DataError.Quote(p.Near)} for {DataError.Quote(p.Name)}")
            .ToList();
        var hint = near.Count == 0 ? "" : $" (did you mean {string.Join(", ", near)}? names are case-sensitive)";
        return new DataError(sourceName, null, names[0], null,
            $"{names.Count} columns are missing ({why}): {DataError.QuoteList(names, 20)}{hint}; the columns are {DataError.QuoteList(available, 20)}.");
    }

    private static CsvTable Collect(CsvRowReader reader, IProgress<CsvReadProgress>? progress)
    {
        var columns = new CellColumn[reader.ColumnNames.Count];
        for (var c = 0; c < columns.Length; c++) columns[c] = new CellColumn();
        var lines = new List<int>();
        while (reader.TryReadInto(columns, out var line))
        {
            lines.Add(line);
            if (progress is not null && lines.Count % ProgressEveryRows == 0) progress.Report(new(lines.Count, reader.BytesRead, reader.TotalBytes));
        }
        if (lines.Count == 0)
            throw new DataError(reader.SourceName, reader.HeaderLine, null, null, "has a header but no data rows.");
        foreach (var column in columns) column.Complete();
        progress?.Report(new(lines.Count, reader.BytesRead, reader.TotalBytes));
        return new CsvTable(reader.SourceName, reader.ColumnNames, columns, [.. lines]) { Notices = reader.Notices };
    }

    private void CheckRow(int row)
    {
        if ((uint)row >= (uint)RowCount) throw new ArgumentOutOfRangeException(nameof(row), $"CsvTable: row {row} is outside the table's {RowCount} rows.");
    }

    // A column as a list of cell texts, made on access.
    private sealed class CellList(CellColumn column, int count) : IReadOnlyList<string?>
    {
        public string? this[int index] => (uint)index < (uint)count ? column.Text(index) : throw new ArgumentOutOfRangeException(nameof(index));

        public int Count => count;

        public IEnumerator<string?> GetEnumerator()
        {
            for (var r = 0; r < count; r++) yield return column.Text(r);
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
