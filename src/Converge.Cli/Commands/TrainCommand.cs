using System.CommandLine;
using System.Globalization;
using Converge.Cli.Output;
using Converge.Diagnosis;
using Converge.Training;
using Spectre.Console;

namespace Converge.Cli.Commands;

/// <summary><c>converge train DATA.csv --label COL [--out model.safetensors]</c>.</summary>
public static class TrainCommand
{
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var arguments = new TrainingArguments();
        var output = new Option<string>("--out", "-o") { Description = "Where to write the model file.", DefaultValueFactory = _ => "model.safetensors" };
        var plot = new Option<string?>("--plot") { Description = "Where to write the loss-curve PNG (default: next to the model, <model name>.loss.png)." };
        var noPlot = new Option<bool>("--no-plot") { Description = "Do not draw the loss curve." };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No progress while training." };
        var noDiagnosis = new Option<bool>("--no-diagnosis") { Description = "Skip the training doctor's check of the run." };
        var report = new Option<string?>("--report") { Description = "Also write a self-contained HTML report of the run (curves, ROC/PR, calibration, importance, diagnosis) to this file." };
        var json = new Option<bool>("--json") { Description = "Print the report as one JSON object on standard output (progress goes to standard error)." };
        var command = new Command("train", "Train a classifier on a CSV and save it as one self-contained model file.");
        arguments.AddTo(command);
        foreach (var option in new Option[] { output, plot, noPlot, quiet, noDiagnosis, report, json }) command.Options.Add(option);
        ConvergeApp.SetGuardedAction(command, context, parse =>
        {
            var options = arguments.Read(parse);
            var data = parse.GetValue(arguments.Data)!;
            var modelPath = parse.GetValue(output)!;
            OutputPaths.CheckWritable("--out", modelPath, ("the data", data));
            var plotPath = parse.GetValue(noPlot) ? null : parse.GetValue(plot) ?? OutputPaths.DefaultPlotPath(modelPath);
            if (plotPath is not null) OutputPaths.CheckWritable("--plot", plotPath, ("the data", data), ("the model (--out)", modelPath));
            var asJson = parse.GetValue(json);
            var reportPath = parse.GetValue(report);
            if (reportPath is not null)
            {
                OutputPaths.CheckWritable("--report", reportPath);
                ReportPages.CheckNotAnInput("--report", reportPath, data, modelPath, plotPath);
            }

            var style = parse.GetValue(quiet) ? ProgressStyle.None
                : context.IsInteractive && !asJson ? ProgressStyle.Live
                : ProgressStyle.Lines;
            var table = ReadingProgress.Run(style, context.Console, asJson ? context.Error : context.Out, CsvInput.DisplayName(data), CsvInput.SizeOf(data),
                progress => CsvInput.ReadTable(context, data, arguments.CsvOptions(parse), progress));
            var epochs = options.Training.Epochs;
            using var interrupt = context.CreateInterrupt(context.Error);
            options = options with { Training = options.Training with { StopRequest = interrupt.StopRequest } };
            var fit = TrainingProgress.Run(style, epochs, context.Console, asJson ? context.Error : context.Out,
                progress => BinaryClassifier.Fit(table, options, progress));
            if (interrupt.Aborted)
            {
                context.Error.WriteLine("aborted: nothing written.");
                return TrainInterrupt.AbortExitCode;
            }

            var diverged = fit.Run.StopReason == StopReason.Diverged;
            if (diverged)
            {
                (modelPath, plotPath) = (null!, null);
            }
            else
            {
                fit.Classifier.Save(modelPath);
                if (plotPath is not null) SavePlot(plotPath, modelPath, fit, CsvInput.DisplayName(data));
                if (fit.Run.StopReason == StopReason.Interrupted)
                    context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"interrupted after epoch {fit.Run.History.Count} of {epochs}: saved the best model so far (epoch {fit.Run.BestEpoch}) to {modelPath}."));
            }
            // The doctor reads the recorded run; it retrains only to search for a remedy when something is wrong.
            var diagnosis = parse.GetValue(noDiagnosis) ? null
                : Doctor.Examine(fit.Train, fit.Validation, options.Training, fit.Run, fit.Classifier.FeatureNames);
            var importance = diverged || (reportPath is null && !asJson) ? null : ReportPages.Importance(fit);
            if (reportPath is not null) ReportPages.Train(fit, table, ReportPages.CommandLine(parse), diagnosis, importance).Save("--report", reportPath);
            var summary = new TrainReport(fit, table, modelPath, plotPath)
            {
                Diagnosis = diagnosis,
                BaseRate = diverged ? null : BaseRateComparison.Of(fit.Run, fit.Train, fit.Validation),
                Importance = importance,
                ReportPath = reportPath,
            };
            if (asJson)
            {
                summary.WriteJson(context.Out);
            }
            else
            {
                summary.Render(context.Console);
                if (diagnosis is { HasProblems: true }) DiagnosisRenderer.Render(context, diagnosis);
                else if (diagnosis is not null) context.Console.WriteLine($"Diagnosis: no problems found ({Plural.Of(diagnosis.Findings.Count, "note")}; 'converge diagnose' shows them).");
            }
            return diverged ? ExitCodes.Diverged : ExitCodes.Ok;
        });
        return command;
    }

    private static void SavePlot(string path, string modelPath, ClassifierFit fit, string dataName)
    {
        var history = fit.Run.History;
        var validation = fit.Validation is null ? [] : history.Select(static h => h.ValidationLoss).ToArray();
        try
        {
            LossCurvePlot.Save(path, [.. history.Select(static h => h.TrainLoss)], validation, fit.Run.BestEpoch,
                string.Create(CultureInfo.InvariantCulture, $"Loss per epoch: {dataName}"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserError($"--plot: {e.Message} (the model itself was saved to '{modelPath}'; no partial PNG was left)", e);
        }
    }
}
