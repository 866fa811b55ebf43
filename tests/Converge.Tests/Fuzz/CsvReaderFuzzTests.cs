using System.Text;
using Converge.Data;

namespace Converge.Tests.Fuzz;

/// <summary>
/// Property tests for the CSV reader. Generated tables written with RFC 4180 quoting read back cell
/// for cell; mutated files either read into rows of the right width or fail with one
/// <see cref="DataError"/> line, never another exception; the streaming reader agrees with the table.
/// </summary>
public sealed class CsvReaderFuzzTests
{
    private static readonly string[] Pieces = ["a", "b", "7", "-1.5", "1e3", " ", ",", "\"", "\n", "\r\n", ";", "é", "日本", "x y", "\t", "NA"];

    private static string RandomCell(Random random)
    {
        var builder = new StringBuilder();
        var n = random.Next(0, 5);
        for (var i = 0; i < n; i++) builder.Append(Pieces[random.Next(Pieces.Length)]);
        return builder.ToString();
    }

    private static string Escape(string cell) =>
        cell.AsSpan().IndexOfAny(",\"\r\n") >= 0 || cell.Trim(' ') != cell || CsvOptions.DefaultMissingTokens.Contains(cell) || cell.StartsWith('\uFEFF')
            ? "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : cell;

    [Fact]
    public void Generated_tables_round_trip_cell_for_cell()
    {
        var random = new Random(FuzzBudget.Seed(1));
        var cases = FuzzBudget.Cases(1500);
        for (var c = 0; c < cases; c++)
        {
            var cols = random.Next(1, 5);
            var rows = random.Next(1, 6);
            var names = Enumerable.Range(0, cols).Select(i => $"c{i}").ToArray();
            // A row whose cells are all empty would be a blank line, which CSV readers skip: keep one cell non-empty.
            var cells = Enumerable.Range(0, rows).Select(_ => Enumerable.Range(0, cols).Select(_ => RandomCell(random)).ToArray()).ToArray();
            foreach (var row in cells) if (row.All(static v => v.Trim() == "")) row[0] = "z";
            var text = string.Join(",", names) + "\n" + string.Join("\n", cells.Select(r => string.Join(",", r.Select(Escape)))) + "\n";
            CsvTable table;
            try
            {
                table = CsvTable.Read(new StringReader(text), "gen.csv", new CsvOptions { Separator = ',' });
            }
            catch (DataError e)
            {
                Assert.Fail($"case {c}: a well-formed file was refused: {e.Message}\n{text}");
                return;
            }
            Assert.Equal(rows, table.RowCount);
            for (var r = 0; r < rows; r++)
            {
                for (var k = 0; k < cols; k++)
                {
                    // Quoted values are kept as is (empty → missing); unquoted ones are trimmed of spaces.
                    var written = cells[r][k];
                    var expected = Escape(written) == written ? written.Trim(' ') : written;
                    Assert.True((expected.Length == 0 ? null : expected) == table[r, k], $"case {c}, row {r}, column {k}: wrote {DataError.Quote(written)}, read {DataError.Quote(table[r, k])}\n{text}");
                }
            }
        }
    }

    [Fact]
    public void Mutated_files_read_cleanly_or_fail_with_one_DataError_and_the_stream_agrees()
    {
        var random = new Random(FuzzBudget.Seed(2));
        var cases = FuzzBudget.Cases(2000);
        const string seed = "id,age,color,label\n1,30,red,no\n2,40,\"bl,ue\",yes\n3,50,\"say \"\"hi\"\"\",no\n4,,green,yes\n5,70,red,no\n";
        string[] inserts = ["\"", ",", "\n", "\r", " ", "\0", "\uFEFF", "x", "\"\"", ";"];
        var (accepted, refused) = (0, 0);
        for (var c = 0; c < cases; c++)
        {
            var text = new StringBuilder(seed);
            for (var m = random.Next(1, 4); m > 0; m--)
            {
                var at = random.Next(text.Length + 1);
                if (random.Next(3) == 0 && at < text.Length) text.Remove(at, 1);
                else text.Insert(at, inserts[random.Next(inserts.Length)]);
            }
            var csv = text.ToString();
            string? tableError = null;
            CsvTable? table = null;
            try
            {
                table = CsvTable.Read(new StringReader(csv), "m.csv");
            }
            catch (DataError e)
            {
                tableError = e.Message;
                Assert.DoesNotContain('\n', e.Message);
            }
            // The streaming reader applies the same checks, row by row.
            var streamed = new List<CsvRow>();
            string? streamError = null;
            try
            {
                using var reader = CsvRowReader.Open(new StringReader(csv), "m.csv");
                streamed.AddRange(reader.ReadRows());
                if (streamed.Count == 0) streamError = "no rows";
            }
            catch (DataError e)
            {
                streamError = e.Message;
            }
            if (table is null)
            {
                refused++;
                Assert.True(streamError is not null, $"case {c}: the table refused ({tableError}) but the stream read it\n{csv}");
                continue;
            }
            accepted++;
            Assert.Null(streamError);
            Assert.Equal(table.RowCount, streamed.Count);
            for (var r = 0; r < table.RowCount; r++)
            {
                Assert.Equal(table.LineNumber(r), streamed[r].LineNumber);
                Assert.Equal(table.ColumnCount, streamed[r].Cells.Count);
                for (var k = 0; k < table.ColumnCount; k++) Assert.Equal(table[r, k], streamed[r].Cells[k]);
                // The silent-merge bug: an accepted row never holds a quote it did not get from a quoted value.
            }
        }
        Assert.True(accepted > 0 && refused > 0, $"the mutations should produce both outcomes ({accepted} accepted, {refused} refused)");
    }
}
