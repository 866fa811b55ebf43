using System.CommandLine;
using Converge.Cli.Output;
using Converge.Diagnosis;

namespace Converge.Cli.Commands;

/// <summary><c>converge diagnose DATA.csv --label COL [training options] [--json]</c>: why does this model not learn?</summary>
public static class DiagnoseCommand
{
    public static Command Create(CliContext context)
    {
        var arguments = new TrainingArguments();
        var json = new Option<bool>("--json") { Description = "Print one JSON object with the findings on standard output." };
        var searchSeconds = new Option<double>("--search-seconds") { Description = "Compute budget of the remedy search, in seconds (each candidate trains up to --epochs); 0 skips the search.", DefaultValueFactory = _ => new DoctorOptions().SearchSeconds };
        var command = new Command("diagnose", "Train as 'train' would, then name why the model does (not) learn, with evidence, and search for the remedy that repairs it.");
        arguments.AddTo(command);
        command.Options.Add(json);
        command.Options.Add(searchSeconds);
        ConvergeApp.SetGuardedAction(command, context, parse =>
        {
            var options = arguments.Read(parse);
            var seconds = parse.GetValue(searchSeconds);
            if (!(seconds >= 0) || double.IsInfinity(seconds)) throw new UserError($"--search-seconds must be a finite number ≥ 0, got {seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
            var table = CsvInput.ReadTable(context, parse.GetValue(arguments.Data)!, arguments.CsvOptions(parse));
            foreach (var notice in table.Notices) context.Error.WriteLine($"note: {notice.Message}");
            var fit = BinaryClassifier.Fit(table, options);
            var doctor = new DoctorOptions(Confirm: seconds > 0, SearchSeconds: seconds);
            var diagnosis = Doctor.Examine(fit.Train, fit.Validation, options.Training, fit.Run, fit.Classifier.FeatureNames, doctor);
            if (parse.GetValue(json)) DiagnosisRenderer.RenderJson(context.Out, diagnosis);
            else DiagnosisRenderer.Render(context, diagnosis);
            return ExitCodes.Ok;
        });
        return command;
    }
}
