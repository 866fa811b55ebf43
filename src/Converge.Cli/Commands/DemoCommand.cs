using System.CommandLine;
using System.Globalization;
using Converge.Cli.Output;
using Converge.Cli.Demo;
using Spectre.Console;

namespace Converge.Cli.Commands;

/// <summary>
/// <c>converge demo [--out DIR] [--seed N] [--quick] [--no-plots]</c>: reruns the question's
/// experiments (circles, the raw heart-rate failure and its fixes), prints a table and a verdict,
/// and writes the plots.
/// </summary>
public static class DemoCommand
{
    /// <summary>Where the plots go when --out is not given (git-ignored).</summary>
    public const string DefaultOutput = "demo-output";

    /// <summary>--quick divides every scenario's epochs by this.</summary>
    public const int QuickDivisor = 10;

    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var output = new Option<string>("--out", "-o") { Description = "Folder for the plots (created if missing).", DefaultValueFactory = _ => DefaultOutput };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the initial weights (every scenario starts from the same draw).", DefaultValueFactory = _ => DemoOptions.DefaultSeed };
        var quick = new Option<bool>("--quick") { Description = $"1/{QuickDivisor} of the epochs: a fast smoke run, not the real experiment." };
        var noPlots = new Option<bool>("--no-plots") { Description = "Print the table and verdict only." };
        var command = new Command("demo", "Reproduce the question's experiments: circles learn, raw heart rate does not; standardizing, BatchNorm, logits and a stepped learning rate, measured.");
        command.Options.Add(output);
        command.Options.Add(seed);
        command.Options.Add(quick);
        command.Options.Add(noPlots);
        ConvergeApp.SetGuardedAction(command, context, parse =>
        {
            var plots = !parse.GetValue(noPlots);
            var folder = parse.GetValue(output)!;
            if (plots) PrepareFolder(folder);
            var options = new DemoOptions { Seed = parse.GetValue(seed), EpochDivisor = parse.GetValue(quick) ? QuickDivisor : 1 };
            var result = DemoProgressView.Run(context, options);
            DemoReport.Write(context.Console, result);
            context.Console.WriteLine();
            context.Console.MarkupLine($"[bold]What 'converge diagnose' says about scenario 2[/] (same network, data and learning rate, {DemoDiagnosis.Epochs / options.EpochDivisor:N0} epochs)");
            DiagnosisRenderer.Render(context, DemoDiagnosis.RawHeartRate(options));
            if (plots)
            {
                context.Console.WriteLine();
                foreach (var path in DemoPlots.WriteAll(result, folder))
                    context.Console.MarkupLineInterpolated($"wrote [bold]{path}[/]");
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    // Fail before minutes of training, not after: the folder must exist (or be creatable) and take a file.
    private static void PrepareFolder(string folder)
    {
        if (File.Exists(folder))
            throw new UserError($"--out '{folder}' is a file; the demo needs a folder for its plots.");
        try
        {
            Directory.CreateDirectory(folder);
            var probe = Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $".converge-write-test-{Environment.ProcessId}"));
            File.WriteAllText(probe, "");
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserError($"cannot write the demo's plots to '{folder}': {e.Message}", e);
        }
    }
}
