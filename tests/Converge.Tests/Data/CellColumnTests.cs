using System.Globalization;
using System.Text;
using Converge.Data;

namespace Converge.Tests.Data;

public sealed class CellColumnTests : IDisposable
{
    private readonly TempCsv _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void A_table_gives_back_every_cell_the_row_reader_reads()
    {
        // Numbers, missing tokens, text, quotes (doubled, with separators and line breaks), padding.
        var text = "n,t,q\n1.50,a,\"x, \"\"y\"\"\"\nNA,b,\"two\nlines\"\n-2e3, a ,\" padded \"\n,?,\"\"\n007,\"NA\",plain\n";
        var path = _files.Write("cells.csv", text);
        var table = CsvTable.Read(path);
        using var reader = CsvRowReader.Open(path);
        var rows = reader.ReadRows().ToList();
        Assert.Equal(rows.Count, table.RowCount);
        for (var r = 0; r < rows.Count; r++)
        {
            Assert.Equal(rows[r].LineNumber, table.LineNumber(r));
            for (var c = 0; c < table.ColumnCount; c++) Assert.Equal(rows[r].Cells[c], table[r, c]);
        }
        // A text column keeps the file's spelling of numbers; a quoted "NA" is text, not missing.
        Assert.Equal(["1.50", null, "-2e3", null, "007"], table.Column("n"));
        Assert.Equal(["a", "b", "a", null, "NA"], table.Column("t"));
        Assert.Equal(["x, \"y\"", "two\nlines", " padded ", null, "plain"], table.Column("q"));
    }

    [Fact]
    public void Numbers_are_read_as_the_typing_reads_them()
    {
        var table = CsvTable.FromColumns("t", ["x"], [["0.1", "abc", null, "1e308", "1e309", "NaN", " 2"]]);
        Assert.True(table.TryGetNumber(0, 0, out var x));
        Assert.Equal(0.1, x);
        Assert.False(table.TryGetNumber(1, 0, out _));
        Assert.True(table.IsMissing(2, 0));
        Assert.False(table.TryGetNumber(2, 0, out _));
        Assert.True(table.TryGetNumber(3, 0, out x));
        Assert.Equal(1e308, x);
        // Not finite: text, as ColumnAnalyzer.TryNumber says.
        Assert.False(table.TryGetNumber(4, 0, out _));
        Assert.False(table.TryGetNumber(5, 0, out _));
        Assert.Equal(ColumnAnalyzer.TryNumber(" 2", out var y), table.TryGetNumber(6, 0, out x));
        Assert.Equal(y, x);
    }

    [Fact]
    public void Decimal_commas_are_stored_rewritten_and_counted()
    {
        var path = _files.Write("semi.csv", "a;b;label\n1,5;x,y;0\n-1.234,5;z;1\n2;1,2,3;0\n");
        var table = CsvTable.Read(path);
        Assert.Equal(["1.5", "-1234.5", "2"], table.Column("a"));
        Assert.Equal(["x,y", "z", "1,2,3"], table.Column("b"));
        Assert.True(table.TryGetNumber(1, 0, out var x));
        Assert.Equal(-1234.5, x);
        var notice = Assert.Single(table.Notices);
        Assert.Equal("a", notice.Column);
        Assert.Contains("read 2 values with a decimal comma", notice.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_column_of_many_distinct_numbers_is_held_as_numbers_with_its_text_cells_exact()
    {
        var rows = CellColumn.MaxTextLevels + 5000;
        var column = new CellColumn();
        var expected = new string?[rows];
        for (var r = 0; r < rows; r++)
        {
            // Mostly numbers; a missing value and a typo in every chunk, some before the switch and some after.
            expected[r] = r % 7001 == 3 ? null : r % 9001 == 5 ? "typo" + r.ToString(CultureInfo.InvariantCulture) : (r * 0.25 - 7).ToString(CultureInfo.InvariantCulture);
            if (expected[r] is { } cell) column.Add(cell);
            else column.AddMissing();
        }
        column.Complete();
        Assert.True(column.IsNumeric);
        Assert.Equal(rows, column.Count);
        for (var r = 0; r < rows; r++)
        {
            Assert.Equal(expected[r], column.Text(r));
            Assert.Equal(expected[r] is null, column.IsMissing(r));
            var isNumber = ColumnAnalyzer.TryNumber(expected[r] ?? "", out var want);
            Assert.Equal(isNumber, column.TryGetNumber(r, out var got));
            if (isNumber) Assert.Equal(want, got);
        }
    }

    [Fact]
    public void A_numeric_column_reads_its_numbers_back_in_shortest_form_and_its_missing_cells_as_missing()
    {
        var column = new CellColumn();
        for (var r = 0; r <= CellColumn.MaxTextLevels; r++) column.Add(r.ToString(CultureInfo.InvariantCulture) + ".50");
        Assert.True(column.IsNumeric);
        // After the switch: a missing cell, then text in the same chunk (the chunk's text ids are made late).
        column.AddMissing();
        column.Add("oops");
        column.Add("0.10");
        Assert.Equal("0.5", column.Text(0));
        Assert.Null(column.Text(CellColumn.MaxTextLevels + 1));
        Assert.True(column.IsMissing(CellColumn.MaxTextLevels + 1));
        Assert.Equal("oops", column.Text(CellColumn.MaxTextLevels + 2));
        Assert.Equal("0.1", column.Text(CellColumn.MaxTextLevels + 3));
    }

    [Fact]
    public void A_column_of_many_distinct_text_values_stays_text()
    {
        var column = new CellColumn();
        var rows = CellColumn.MaxTextLevels + 100;
        for (var r = 0; r < rows; r++) column.Add(r % 3 == 0 ? "1" : "id-" + r.ToString(CultureInfo.InvariantCulture));
        column.Complete();
        Assert.False(column.IsNumeric);
        Assert.Equal("id-" + (rows - 1).ToString(CultureInfo.InvariantCulture), column.Text(rows - 1));
        Assert.Equal("1", column.Text(0));
        Assert.True(column.TryGetNumber(0, out var one));
        Assert.Equal(1, one);
    }

    [Fact]
    public void The_typing_of_a_numeric_store_matches_the_text()
    {
        // Enough distinct values for the column to be held as doubles; the median comes from the exact numbers.
        var rows = CellColumn.MaxTextLevels + 1000;
        var random = new Random(5);
        var x = new string?[rows];
        var label = new string?[rows];
        for (var r = 0; r < rows; r++)
        {
            x[r] = r % 50 == 0 ? null : (random.NextDouble() * 10).ToString("F5", CultureInfo.InvariantCulture);
            label[r] = r % 2 == 0 ? "yes" : "no";
        }
        var table = CsvTable.FromColumns("t", ["x", "label"], [x, label]);
        var all = Enumerable.Range(0, rows).ToArray();
        var (pre, notices) = Preprocessor.Fit(table, new PreprocessorOptions { Label = "label" }, all);
        var median = ColumnAnalyzer.Median([.. x.OfType<string>().Select(v => double.Parse(v, CultureInfo.InvariantCulture))]);
        var spec = pre.Spec.Columns.Single(c => c.Name == "x");
        Assert.Equal(ColumnKind.Numeric, spec.Kind);
        Assert.Equal(median, spec.ImputeValue);
        Assert.Contains(notices, n => n.Message.Contains("in 'x' with median " + ColumnAnalyzer.Format(median), StringComparison.Ordinal));
        // The transform from the store equals the transform of the same cells streamed as text.
        var features = pre.Transform(table).Features;
        var binder = pre.Bind(table.ColumnNames, "t");
        var row = new float[pre.FeatureCount];
        for (var r = 0; r < rows; r += 997)
        {
            binder.TransformRow([x[r], label[r]], r + 2, row);
            Assert.Equal(row, features.Row(r).ToArray());
        }
    }

    [Fact]
    public void Reading_reports_rows_and_bytes_as_it_goes()
    {
        var text = new StringBuilder("a,label\n");
        var rows = 3 * CsvTable.ProgressEveryRows + 10;
        for (var r = 0; r < rows; r++) text.Append(CultureInfo.InvariantCulture, $"{r},{r % 2}\n");
        var path = _files.Write("big.csv", text.ToString());
        var reports = new List<CsvReadProgress>();
        var table = CsvTable.Read(path, progress: new Collect(reports));
        Assert.Equal(rows, table.RowCount);
        Assert.Equal([CsvTable.ProgressEveryRows, 2 * CsvTable.ProgressEveryRows, 3 * CsvTable.ProgressEveryRows, rows], reports.Select(static p => p.Rows));
        var size = new FileInfo(path).Length;
        Assert.All(reports, p => Assert.Equal(size, p.TotalBytes));
        Assert.Equal(size, reports[^1].Bytes);
        Assert.True(reports[0].Bytes < size);
    }

    private sealed class Collect(List<CsvReadProgress> into) : IProgress<CsvReadProgress>
    {
        public void Report(CsvReadProgress value) => into.Add(value);
    }
}
