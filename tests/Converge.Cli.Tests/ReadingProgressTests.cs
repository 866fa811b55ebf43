using Converge.Cli.Output;
using Converge.Data;
using Spectre.Console;

namespace Converge.Cli.Tests;

public sealed class ReadingProgressTests
{
    [Fact]
    public void A_line_names_the_rows_and_the_megabytes()
    {
        var progress = new CsvReadProgress(1_234_567, 45L << 20, 152L << 20);
        Assert.Equal("reading data.csv: 1,234,567 rows, 45 of 152 MB (3.0 s)", ReadingProgress.Describe("data.csv", progress, TimeSpan.FromSeconds(3)));
        // A pipe has no size; a text reader counts no bytes.
        Assert.Equal("reading standard input: 10 rows, 2 MB (0.5 s)", ReadingProgress.Describe("standard input", new(10, 2L << 20, null), TimeSpan.FromSeconds(0.5)));
        Assert.Equal("reading x: 10 rows (0.5 s)", ReadingProgress.Describe("x", new(10, 0, null), TimeSpan.FromSeconds(0.5)));
    }

    [Theory]
    [InlineData(ProgressStyle.None, false)]
    [InlineData(ProgressStyle.Lines, true)]
    [InlineData(ProgressStyle.Live, true)]
    public void Quiet_reads_without_a_sink_and_a_small_file_prints_nothing(ProgressStyle style, bool sink)
    {
        using var lines = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(new StringWriter()) });
        // A small file (under the live bar's size) that reads without reporting prints nothing in any style.
        var result = ReadingProgress.Run(style, console, lines, "small.csv", 100, progress =>
        {
            Assert.Equal(sink, progress is not null);
            return 42;
        });
        Assert.Equal(42, result);
        Assert.Equal("", lines.ToString());
    }
}
