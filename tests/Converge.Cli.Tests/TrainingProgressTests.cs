using Converge.Cli.Output;
using Converge.Training;

namespace Converge.Cli.Tests;

public sealed class TrainingProgressTests
{
    [Theory]
    [InlineData(60)]
    [InlineData(80)]
    [InlineData(120)]
    public void The_live_line_fits_the_terminal(int width)
    {
        var (narrow, label, bar) = TrainingProgress.Layout(width);
        var log = new EpochLog(10000, 12.3456, 0.2345, 0.999, 0.001, null);
        var text = narrow ? TrainingProgress.DescribeNarrow(log, 10000) : TrainingProgress.DescribeShort(log, 10000);
        Assert.True(text.Length <= label, $"label '{text}' is {text.Length} > {label}");
        // label, bar, "100%", a time left of up to 8 characters, the spinner, one space between each.
        Assert.True(label + 1 + bar + 1 + 5 + 1 + 8 + 1 + 2 <= width, $"{label} + {bar} + fixed columns exceed {width}");
        Assert.InRange(bar, 6, 24);
    }
}
