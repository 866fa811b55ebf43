using Converge.Data;

namespace Converge.Tests.Data;

/// <summary>Regression tests for issue 13, item 1 (a stray quote swallowed rows) and item 6 (huge cells).</summary>
public sealed class CsvQuotingTests
{
    [Fact]
    public void A_quote_inside_an_unquoted_value_is_an_error_naming_line_column_and_value()
    {
        const string text = "id,age,color,label\n1,30,red,no\n2,40,bl\"ue,yes\n3,50,green,no\n4,60,re\"d,yes\n5,70,red,no\n";
        var e = Assert.Throws<DataError>(() => CsvTable.Read(new StringReader(text), "q.csv"));
        Assert.Equal(3, e.Line);
        Assert.Equal("color", e.Column);
        Assert.Equal("bl\"ue,yes", e.Value);
        Assert.StartsWith("q.csv, line 3, column 'color': a quote inside the unquoted value", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_streaming_reader_stops_at_the_same_row()
    {
        const string text = "a,b\n1,2\n3,x\"y\n5,6\n";
        using var reader = CsvRowReader.Open(new StringReader(text), "s.csv");
        Assert.True(reader.TryReadRow(out var first));
        Assert.Equal(["1", "2"], first.Cells);
        var e = Assert.Throws<DataError>(() => reader.TryReadRow(out _));
        Assert.Equal(3, e.Line);
    }

    [Theory]
    [InlineData("a,b\n1,\"x\"y\n", "text after the closing quote")]
    [InlineData("a,b\n1,\"open\n2,3\n", "has no closing quote")]
    [InlineData("a,b\"\n1,2\n", "a quote inside the unquoted value")]
    public void Malformed_quoting_is_an_error(string text, string expected)
    {
        var e = Assert.Throws<DataError>(() => CsvTable.Read(new StringReader(text), "m.csv"));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Well_formed_quotes_keep_separators_line_breaks_doubled_quotes_and_inner_spaces()
    {
        const string text = "a,b\n \"x, y\" ,\"say \"\"hi\"\"\"\n\"two\nlines\",\" pad \"\n\"\",\"NA\"\n";
        var table = CsvTable.Read(new StringReader(text), "ok.csv");
        Assert.Equal(["x, y", "two\nlines", null], table.Column("a"));
        // A quoted "NA" is text, not the missing token.
        Assert.Equal(["say \"hi\"", " pad ", "NA"], table.Column("b"));
        Assert.Equal([2, 3, 5], Enumerable.Range(0, table.RowCount).Select(table.LineNumber));
    }

    [Fact]
    public void A_cell_longer_than_the_limit_is_an_error_not_a_memory_blow_up()
    {
        var text = "a,label\n" + new string('x', CsvRowReader.MaxCellLength + 1) + ",1\nb,0\n";
        var e = Assert.Throws<DataError>(() => CsvTable.Read(new StringReader(text), "big.csv"));
        Assert.Equal(2, e.Line);
        Assert.Equal("a", e.Column);
        Assert.Contains("more than the", e.Message, StringComparison.Ordinal);
    }
}
