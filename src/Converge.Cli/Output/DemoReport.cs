using System.Globalization;
using Converge.Demo;
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
        var table = new Table()
            .Title(string.Create(CultureInfo.InvariantCulture, $"Linear(in,4) → sigmoid → Linear(4,1) → sigmoid, full-batch Adam, seed {result.Seed}{quick}"))
            .AddColumn("#")
            .AddColumn("scenario")
            .AddColumn(new TableColumn("lr").RightAligned())
            .AddColumn(new TableColumn("epochs").RightAligned())
            .AddColumn(new TableColumn("final loss").RightAligned())
            .AddColumn(new TableColumn("accuracy").RightAligned())
            .AddColumn(new TableColumn(string.Create(CultureInfo.InvariantCulture, $"epochs to loss {DemoScenarios.ConvergedLoss}")).RightAligned())
            .AddColumn(new TableColumn("saturated hidden at init").RightAligned())
            .AddColumn(new TableColumn("wall time").RightAligned())
            .AddColumn("reference");
        foreach (var s in result.Scenarios)
        {
            var scenario = s.Scenario;
            var lr = scenario.StepSize is { } step
                ? string.Create(CultureInfo.InvariantCulture, $"{scenario.LearningRate:G3} ×{scenario.Gamma:G3}/{step:N0}")
                : scenario.LearningRate.ToString("G3", CultureInfo.InvariantCulture);
            var loss = s.FinalLoss.ToString("F4", CultureInfo.InvariantCulture);
            table.AddRow(
                scenario.Number.ToString(CultureInfo.InvariantCulture),
                Markup.Escape(scenario.Name),
                lr,
                scenario.Epochs.ToString("N0", CultureInfo.InvariantCulture),
                s.Converged ? $"[green]{loss}[/]" : $"[red]{loss}[/]",
                s.Accuracy.ToString("P1", CultureInfo.InvariantCulture),
                s.EpochsToConverge?.ToString("N0", CultureInfo.InvariantCulture) ?? "never",
                s.SaturatedAtStart.ToString("P0", CultureInfo.InvariantCulture),
                string.Create(CultureInfo.InvariantCulture, $"{s.Elapsed.TotalSeconds:F2} s"),
                Markup.Escape(scenario.Reference));
        }
        console.Write(table);
        console.WriteLine();
        console.MarkupLine("[bold]Verdict[/]");
        foreach (var line in result.Verdict()) console.MarkupLineInterpolated($"  • {line}");
    }
}
