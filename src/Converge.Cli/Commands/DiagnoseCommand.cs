using System.CommandLine;
using Converge.Cli.Output;
using Converge.Data;
using Converge.Diagnosis;

namespace Converge.Cli.Commands;

/// <summary><c>converge diagnose DATA.csv --label COL [training options] [--json]</c>: why does this model not learn?</summary>
public static class DiagnoseCommand
{
    public static Command Create(CliContext context)
    {
        var arguments = new TrainingArguments();
        var json = new Option<bool>("--json") { Description = "Print one JSON object with the findings on standard output." };
        var report = new Option<string?>("--report") { Description = "Also write a self-contained HTML report of the run and the findings to this file." };
        var confirmEpochs = new Option<int>("--confirm-epochs") { Description = "Epochs of each run that tests the top remedy; 0 skips the test.", DefaultValueFactory = _ => new DoctorOptions().ConfirmationEpochs };
        var command = new Command("diagnose", "Train as 'train' would, then name why the model does (not) learn, with evidence, and test the top remedy.");
        arguments.AddTo(command);
        command.Options.Add(json);
        command.Options.Add(report);
        command.Options.Add(confirmEpochs);
        ConvergeApp.SetGuardedAction(command, context, parse =>
        {
            var options = arguments.Read(parse);
            var epochs = parse.GetValue(confirmEpochs);
            if (epochs < 0) throw new UserError($"--confirm-epochs must be ≥ 0, got {epochs}.");
            var reportPath = parse.GetValue(report);
            if (reportPath is not null)
            {
                OutputPaths.CheckWritable("--report", reportPath);
                ReportPages.CheckNotAnInput("--report", reportPath, parse.GetValue(arguments.Data));
            }
            var table = CsvTable.Read(parse.GetValue(arguments.Data)!, arguments.CsvOptions(parse));
            var fit = BinaryClassifier.Fit(table, options);
            var doctor = new DoctorOptions(Confirm: epochs > 0, ConfirmationEpochs: Math.Max(epochs, 1));
            var diagnosis = Doctor.Examine(fit.Train, fit.Validation, options.Training, fit.Run, fit.Classifier.FeatureNames, doctor);
            if (reportPath is not null) ReportPages.Diagnose(fit, table, ReportPages.CommandLine(parse), diagnosis).Save("--report", reportPath);
            if (parse.GetValue(json)) DiagnosisRenderer.RenderJson(context.Out, diagnosis);
            else DiagnosisRenderer.Render(context, diagnosis);
            return ExitCodes.Ok;
        });
        return command;
    }
}
