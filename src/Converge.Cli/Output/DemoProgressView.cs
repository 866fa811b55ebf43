using System.Globalization;
using Converge.Cli.Demo;
using Spectre.Console;

namespace Converge.Cli.Output;

/// <summary>Runs the demo with visible progress: live bars on a terminal, one plain line per scenario otherwise.</summary>
public static class DemoProgressView
{
    public static DemoResult Run(CliContext context, DemoOptions options)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        if (!context.IsInteractive) return RunPlain(context, options);
        DemoResult? result = null;
        context.Console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(progress =>
            {
                var tasks = options.Scenarios.ToDictionary(
                    static s => s.Number,
                    s => progress.AddTask(Describe(s.Scaled(options.EpochDivisor)), autoStart: false, maxValue: s.Scaled(options.EpochDivisor).Epochs));
                result = DemoRunner.Run(options, new Reporter(p =>
                {
                    var task = tasks[p.Scenario.Number];
                    if (!task.IsStarted) task.StartTask();
                    task.Value = p.Epoch;
                    task.Description = string.Create(CultureInfo.InvariantCulture, $"{Describe(p.Scenario)}  loss {p.Loss:F4}");
                    if (p.Epoch >= p.Scenario.Epochs) task.StopTask();
                }));
            });
        return result!;
    }

    private static DemoResult RunPlain(CliContext context, DemoOptions options)
    {
        var count = options.Scenarios.Count;
        var index = 0;
        return DemoRunner.Run(options, new Reporter(p =>
        {
            if (p.Epoch == 0)
                context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{++index}/{count}] {Describe(p.Scenario)}, initial loss {p.Loss:F4} …"));
            else if (p.Epoch == p.Scenario.Epochs)
                context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"      done, loss {p.Loss:F4}"));
        }));
    }

    private static string Describe(DemoScenario s) =>
        string.Create(CultureInfo.InvariantCulture, $"{s.Number}. {s.Name} ({s.Epochs:N0} epochs)");

    private sealed class Reporter(Action<DemoProgress> report) : IProgress<DemoProgress>
    {
        public void Report(DemoProgress value) => report(value);
    }
}
