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
        foreach (var entry in new[] { log, log with { Member = 5, Members = 5 } })
        {
            var text = narrow ? TrainingProgress.DescribeNarrow(entry, 10000) : TrainingProgress.DescribeShort(entry, 10000);
            Assert.True(text.Length <= label, $"label '{text}' is {text.Length} > {label}");
        }
        // label, bar, "100%", a time left of up to 8 characters, the spinner, one space between each.
        Assert.True(label + 1 + bar + 1 + 5 + 1 + 8 + 1 + 2 <= width, $"{label} + {bar} + fixed columns exceed {width}");
        Assert.InRange(bar, 6, 24);
    }

    [Fact]
    public void An_ensemble_members_epochs_name_the_member()
    {
        var log = new EpochLog(7, 0.5, 0.4, 0.9, 0.001, null) with { Member = 2, Members = 5 };
        Assert.StartsWith("member 2/5  epoch ", TrainingProgress.Describe(log, 300), StringComparison.Ordinal);
        Assert.StartsWith("epoch ", TrainingProgress.Describe(log with { Member = 0, Members = 0 }, 300), StringComparison.Ordinal);
    }
}
