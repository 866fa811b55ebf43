using Converge.Data;

namespace Converge.Tests.Data;

public sealed class CsvTableTests : IDisposable
{
    private readonly TempCsv _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void Reads_header_cells_and_line_numbers()
    {
        var path = _files.Write("simple.csv", "a,b,label\n1,x,0\n\n2,y,1\n");
        var table = CsvTable.Read(path);
        Assert.Equal(["a", "b", "label"], table.ColumnNames);
        Assert.Equal(2, table.RowCount);
        Assert.Equal(["1", "2"], table.Column("a"));
        Assert.Equal("y", table[1, 1]);
        // The blank line 3 is skipped but still counted.
        Assert.Equal(2, table.LineNumber(0));
        Assert.Equal(4, table.LineNumber(1));
        Assert.Equal(',', CsvRowReader.Open(path).Separator);
    }

    [Fact]
    public void Quotes_crlf_bom_trimming_and_missing_tokens_are_handled()
    {
        var text = "name,score,note\n\"Smith, John\", 1.5 ,\"say \"\"hi\"\"\"\n  Lee  ,NA,\n\" padded \",?,x\n";
        var path = _files.Write("messy.csv", text, crlf: true, bom: true);
        var table = CsvTable.Read(path);
        Assert.Equal("name", table.ColumnNames[0]);
        Assert.Equal(["Smith, John", "Lee", " padded "], table.Column("name"));
        Assert.Equal(["1.5", null, null], table.Column("score"));
        Assert.Equal(["say \"hi\"", null, "x"], table.Column("note"));
    }

    [Fact]
    public void A_bom_in_text_handed_over_as_a_string_is_stripped()
    {
        var table = CsvTable.Read(new StringReader("\uFEFFa;b\n1;2\n"), "inline");
        Assert.Equal(["a", "b"], table.ColumnNames);
        Assert.Equal("inline", table.SourceName);
    }

    [Fact]
    public void Separator_is_detected_or_taken_from_options()
    {
        var tab = CsvTable.Read(new StringReader("a\tb\n1\t2\n"), "tabs");
        Assert.Equal(["a", "b"], tab.ColumnNames);
        var pipe = CsvTable.Read(new StringReader("a|b\n1|2\n"), "pipes", new CsvOptions { Separator = '|' });
        Assert.Equal("2", pipe[0, 1]);
    }

    [Fact]
    public void Without_header_columns_are_named_by_position()
    {
        var path = _files.Write("nohead.csv", "1,a\n2,b\n");
        var table = CsvTable.Read(path, new CsvOptions { HasHeader = false });
        Assert.Equal(["col1", "col2"], table.ColumnNames);
        Assert.Equal(2, table.RowCount);
        Assert.Equal(1, table.LineNumber(0));
        Assert.Equal(2, table.LineNumber(1));
        Assert.Equal(["1", "2"], table.Column("col1"));
    }

    [Fact]
    public void Line_numbers_count_blank_lines_and_multiline_quoted_fields()
    {
        var table = CsvTable.Read(new StringReader("\n\na,b\n\"two\nlines\",1\n3,4\n"), "lines.csv");
        Assert.Equal(["a", "b"], table.ColumnNames);
        Assert.Equal("two\nlines", table[0, 0]);
        Assert.Equal(4, table.LineNumber(0));
        Assert.Equal(6, table.LineNumber(1));
    }

    [Fact]
    public void Missing_file_is_named()
    {
        var path = _files.PathOf("nope.csv");
        var ex = Assert.Throws<DataError>(() => CsvTable.Read(path));
        Assert.Equal(path, ex.File);
        Assert.Equal($"{path}: file not found.", ex.Message);
    }

    [Fact]
    public void Empty_file_is_an_error()
    {
        var path = _files.Write("empty.csv", "\n  \n");
        var ex = Assert.Throws<DataError>(() => CsvTable.Read(path));
        Assert.Contains("empty", ex.Message, StringComparison.Ordinal);
        Assert.StartsWith(path, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Header_without_rows_is_an_error_naming_the_header_line()
    {
        var path = _files.Write("header.csv", "a,b\n");
        var ex = Assert.Throws<DataError>(() => CsvTable.Read(path));
        Assert.Equal(1, ex.Line);
        Assert.Equal($"{path}, line 1: has a header but no data rows.", ex.Message);
    }

    [Fact]
    public void Ragged_row_names_line_and_counts()
    {
        var path = _files.Write("ragged.csv", "a,b,c\n1,2,3\n4,5\n");
        var ex = Assert.Throws<DataError>(() => CsvTable.Read(path));
        Assert.Equal(3, ex.Line);
        Assert.Equal($"{path}, line 3: expected 3 fields (like the header) but found 2.", ex.Message);
    }

    [Fact]
    public void Row_with_an_unquoted_separator_hints_at_quoting()
    {
        var ex = Assert.Throws<DataError>(() => CsvTable.Read(new StringReader("a,b\n1,2\nSmith, John,3\n"), "people.csv"));
        Assert.Equal(3, ex.Line);
        Assert.Contains("found 3", ex.Message, StringComparison.Ordinal);
        Assert.Contains("must be quoted", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_column_names_are_named_with_positions()
    {
        var ex = Assert.Throws<DataError>(() => CsvTable.Read(new StringReader("age,x,age\n1,2,3\n"), "dup.csv"));
        Assert.Equal(1, ex.Line);
        Assert.Equal("age", ex.Column);
        Assert.Equal("dup.csv, line 1, column 'age': the column name 'age' appears twice (columns 1 and 3); column names must be unique.", ex.Message);
    }

    [Fact]
    public void Binary_file_is_rejected()
    {
        var path = _files.WriteBytes("data.bin", [0x41, 0x2C, 0x42, 0x0A, 0x00, 0x01, 0x02, 0x0A]);
        var ex = Assert.Throws<DataError>(() => CsvTable.Read(path));
        Assert.Contains("binary", ex.Message, StringComparison.Ordinal);
        var gz = _files.WriteBytes("data.csv.gz", [0x1F, 0x8B, 0x08, 0x00]);
        Assert.Contains("gzip", Assert.Throws<DataError>(() => CsvTable.Read(gz)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Nul_in_text_reader_names_the_line()
    {
        var ex = Assert.Throws<DataError>(() => CsvTable.Read(new StringReader("a,b\n1,2\n3,\0\n"), "nul.csv"));
        Assert.Equal(3, ex.Line);
    }

    [Fact]
    public void Unknown_column_lists_the_columns_and_suggests_case()
    {
        var table = CsvTable.Read(new StringReader("Age,label\n1,0\n"), "t.csv");
        var ex = Assert.Throws<DataError>(() => table.Column("age"));
        Assert.Equal("age", ex.Column);
        Assert.Contains("did you mean 'Age'?", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'Age', 'label'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Streaming_reader_yields_the_same_rows_as_the_whole_file_reader()
    {
        var lines = new List<string> { "id,x,\"y, quoted\"" };
        for (var i = 0; i < 500; i++) lines.Add(i % 7 == 0 ? $"{i},,\"a,{i % 3}\"" : $"{i},{i * 0.5},b{i % 4}");
        var path = _files.Write("big.csv", string.Join('\n', lines) + "\n", crlf: true);
        var table = CsvTable.Read(path);
        using var reader = CsvTable.Stream(path);
        Assert.Equal(table.ColumnNames, reader.ColumnNames);
        var r = 0;
        foreach (var row in reader.ReadRows())
        {
            Assert.Equal(table.LineNumber(r), row.LineNumber);
            for (var c = 0; c < table.ColumnCount; c++) Assert.Equal(table[r, c], row.Cells[c]);
            r++;
        }
        Assert.Equal(500, r);
        Assert.Equal(500, table.RowCount);
    }
}
