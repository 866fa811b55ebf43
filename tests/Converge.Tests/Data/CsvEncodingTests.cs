using System.Globalization;
using System.Text;
using Converge.Data;

namespace Converge.Tests.Data;

public sealed class CsvEncodingTests
{
    private static readonly Encoding Windows1252 = CodePages();

    private static Encoding CodePages()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(1252);
    }

    private static CsvTable Read(byte[] bytes, CsvOptions? options = null) =>
        CsvTable.Read(new OneWayStream(bytes), "data.csv", options);

    [Fact]
    public void Windows_1252_bytes_are_detected_with_a_notice_and_keep_accented_categories_apart()
    {
        var table = Read(Windows1252.GetBytes("city,price\ncafe,1\ncafé,2\ncafè,3\n€uro „x“,4\n"));
        Assert.Equal(["cafe", "café", "cafè", "€uro „x“"], table.Column("city"));
        var notice = Assert.Single(table.Notices);
        Assert.Contains("Windows-1252", notice.Message, StringComparison.Ordinal);
        Assert.Contains("line 3", notice.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_windows_1252_table_matches_the_code_page()
    {
        var bytes = Enumerable.Range(0x20, 0x100 - 0x20).Where(b => b != ';' && b != '"' && b != 0x7F).Select(b => (byte)b).ToArray();
        var table = Read([.. "h\n"u8, .. bytes, (byte)'\n'], new CsvOptions { Encoding = CsvEncoding.Windows1252, Separator = ';' });
        // Windows maps the five unassigned bytes to the C1 controls of the same number, as .NET's code page does.
        Assert.Equal(Windows1252.GetString(bytes).Trim(), table[0, 0]);
    }

    [Fact]
    public void Latin1_is_each_byte_as_its_code_point()
    {
        var table = Read([.. "h\n"u8, 0x80, 0xE9, (byte)'\n'], new CsvOptions { Encoding = CsvEncoding.Latin1 });
        Assert.Equal("\u0080é", table[0, 0]);
    }

    [Fact]
    public void Strict_utf8_names_the_line_of_the_first_invalid_byte()
    {
        var error = Assert.Throws<DataError>(() => Read(Windows1252.GetBytes("a\nx\ncafé\n"), new CsvOptions { Encoding = CsvEncoding.Utf8 }));
        Assert.Equal(3, error.Line);
        Assert.Contains("0xE9", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Valid_utf8_boms_and_utf16_read_without_notice()
    {
        var utf8 = Read([.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes("name,v\ncafé,1\n")]);
        Assert.Equal(["name", "v"], utf8.ColumnNames);
        Assert.Equal("café", utf8[0, 0]);
        Assert.Empty(utf8.Notices);
        var utf16 = Read([.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes("name,v\ncafé,1\n")]);
        Assert.Equal("café", utf16[0, 0]);
        Assert.Empty(utf16.Notices);
    }

    [Fact]
    public void A_character_split_across_reads_and_an_invalid_byte_far_into_the_file_are_both_handled()
    {
        // 'é' straddles the 64 KiB buffer boundary; the Windows-1252 byte comes after 70,000 lines.
        var text = new StringBuilder("vv\n");
        while (text.Length < (1 << 16) - 1) text.Append("a\n");
        text.Append("é\n");
        var prefixLines = text.ToString().Count(c => c == '\n');
        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        Assert.Equal(0xC3, bytes[(1 << 16) - 1]);
        var table = Read(bytes);
        Assert.Equal("é", table[prefixLines - 2, 0]);
        Assert.Empty(table.Notices);

        var mixed = Read([.. bytes, .. Windows1252.GetBytes("è\n")]);
        Assert.Equal("è", mixed[mixed.RowCount - 1, 0]);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"line {prefixLines + 1} on"), Assert.Single(mixed.Notices).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Gzip_and_binary_bytes_are_refused_from_a_pipe_too()
    {
        Assert.Contains("gzip", Assert.Throws<DataError>(() => Read([0x1F, 0x8B, 8, 0])).Message, StringComparison.Ordinal);
        Assert.Contains("NUL", Assert.Throws<DataError>(() => Read([(byte)'a', 0, (byte)'b'])).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("3,5", "3.5")]
    [InlineData("-1.234,56", "-1234.56")]
    [InlineData("12.345.678,9", "12345678.9")]
    [InlineData("+0,5e-3", "+0.5e-3")]
    [InlineData(",25", ".25")]
    [InlineData("1,2,3", "1,2,3")]
    [InlineData("1.23,4", "1.23,4")]
    [InlineData("a,5", "a,5")]
    [InlineData("3,", "3,")]
    [InlineData("1.5", "1.5")]
    public void Decimal_commas_in_semicolon_files_are_read_as_numbers(string cell, string expected)
    {
        var table = Read(Encoding.UTF8.GetBytes($"x;y\n\"{cell}\";1\n"));
        Assert.Equal(expected, table[0, 0]);
        Assert.Equal(expected == cell ? 0 : 1, table.Notices.Count);
    }

    [Fact]
    public void Decimal_commas_follow_the_option_and_are_counted_per_column()
    {
        var bytes = Encoding.UTF8.GetBytes("x;y\n1,5;2,5\n2,5;b\n");
        var table = Read(bytes);
        Assert.Equal(["1.5", "2.5"], table.Column("x"));
        Assert.Equal(["read 2 values with a decimal comma in 'x' as numbers (e.g. '1,5')", "read 1 value with a decimal comma in 'y' as a number (e.g. '2,5')"],
            table.Notices.Select(n => n.Message));
        Assert.Equal(["1,5", "2,5"], Read(bytes, new CsvOptions { DecimalComma = false }).Column("x"));
        var comma = Read(Encoding.UTF8.GetBytes("x,y\n\"1,5\",1\n"));
        Assert.Equal("1,5", comma[0, 0]);
        Assert.Equal("1.5", Read(Encoding.UTF8.GetBytes("x,y\n\"1,5\",1\n"), new CsvOptions { DecimalComma = true })[0, 0]);
    }

    [Fact]
    public void The_excel_export_fixture_arrives_with_numbers_and_distinct_accented_cities()
    {
        var table = CsvTable.Read(Path.Combine(AppContext.BaseDirectory, "TestData", "excel-export-cp1252.csv"));
        Assert.All(table.Column("Einkommen"), v => Assert.True(double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out _), v));
        Assert.Contains("München", table.Column("Stadt"));
        Assert.Contains("café", table.Column("Stadt"));
        Assert.Contains("cafè", table.Column("Stadt"));
        Assert.Equal(2, table.Notices.Count);
    }

    /// <summary>A stream that cannot seek, like a pipe, and hands out at most 1,000 bytes per read.</summary>
    private sealed class OneWayStream(byte[] bytes) : Stream
    {
        private int _position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = Math.Min(Math.Min(count, 1000), bytes.Length - _position);
            Array.Copy(bytes, _position, buffer, offset, n);
            _position += n;
            return n;
        }
    }
}
