using System.Globalization;
using Converge.Cli.Demo;
using Spectre.Console;

namespace Converge.Cli.Output;

/// <summary>The demo's table (one row per scenario) and its verdict, for people.</summary>
public static class DemoReport
{
    public static void Write(IAnsiConsole console, DemoResult result)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(result);
        var quick = result.EpochDivisor == 1 ? "" : string.Create(CultureInfo.InvariantCulture, $", --quick: 1/{result.EpochDivisor} of the epochs");
        // A long title would widen the table past 80 columns, so it is a line of its own.
        console.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"[bold]Linear(in,4) → sigmoid → Linear(4,1) → sigmoid, full-batch Adam, seed {result.Seed}{quick}[/]"));
        // A fixed-width text table: 74 columns, so it reads in an 80-column terminal and in a log file alike.
        console.MarkupLine(Escaped(Row("#", "scenario", "lr", "epochs", "loss", "acc.", $"to {DemoScenarios.ConvergedLoss}", "sat.", "time")));
        console.MarkupLine(Escaped(new string('─', 74)));
        foreach (var s in result.Scenarios)
        {
            var scenario = s.Scenario;
            var loss = s.FinalLoss.ToString("F4", CultureInfo.InvariantCulture);
            var row = Row(
                scenario.Number.ToString(CultureInfo.InvariantCulture),
                scenario.Name.Replace("heart rate, ", "hr ", StringComparison.Ordinal).Replace("standardized", "std.", StringComparison.Ordinal),
                scenario.LearningRate.ToString("G3", CultureInfo.InvariantCulture) + (scenario.StepSize is null ? "" : "↓"),
                scenario.Epochs.ToString("N0", CultureInfo.InvariantCulture),
                loss,
                s.Accuracy.ToString("P1", CultureInfo.InvariantCulture),
                s.EpochsToConverge?.ToString("N0", CultureInfo.InvariantCulture) ?? "never",
                s.SaturatedAtStart.ToString("P0", CultureInfo.InvariantCulture),
                string.Create(CultureInfo.InvariantCulture, $"{s.Elapsed.TotalSeconds:F2} s"));
            var color = s.Converged ? "green" : "red";
            console.MarkupLine(Escaped(row).Replace(loss, $"[{color}]{loss}[/]", StringComparison.Ordinal));
        }
        // The table stays narrow enough for an 80-column terminal; the legend and notes go under it.
        console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
            $"  [dim]hr: heart rate · std.: standardized · loss: final training loss · acc.: training accuracy · to {DemoScenarios.ConvergedLoss}: first epoch below that loss · sat.: hidden sigmoid outputs saturated at initialization[/]"));
        foreach (var s in result.Scenarios.Where(static s => s.Scenario.Reference.Length > 0))
            console.MarkupLineInterpolated($"  [dim]{s.Scenario.Number}. {s.Scenario.Reference}[/]");
        foreach (var s in result.Scenarios.Where(static s => s.Scenario.StepSize is not null))
            console.MarkupLineInterpolated($"  [dim]{s.Scenario.Number}. ↓: StepLr, the learning rate × {s.Scenario.Gamma:G3} every {s.Scenario.StepSize:N0} epochs[/]");
        console.WriteLine();
        console.MarkupLine("[bold]Verdict[/]");
        foreach (var line in result.Verdict()) console.MarkupLineInterpolated($"  • {line}");
    }

    private static string Row(string number, string scenario, string lr, string epochs, string loss, string accuracy, string toTarget, string saturated, string time) =>
        string.Create(CultureInfo.InvariantCulture, $"{number,2}  {scenario,-17} {lr,6} {epochs,7} {loss,7} {accuracy,8} {toTarget,6} {saturated,5} {time,8}");

    private static string Escaped(string text) => Markup.Escape(text);
}
