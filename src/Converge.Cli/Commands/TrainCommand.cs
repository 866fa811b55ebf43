using System.CommandLine;
using Spectre.Console;
using Converge.Data;

namespace Converge.Cli.Commands;

/// <summary><c>converge train DATA.csv --label COL [--out model.safetensors]</c>.</summary>
public static class TrainCommand
{
    public static Command Create(CliContext context)
    {
        var arguments = new TrainingArguments();
        var output = new Option<string>("--out", "-o") { Description = "Where to write the model file.", DefaultValueFactory = _ => "model.safetensors" };
        var command = new Command("train", "Train a classifier on a CSV and save it as one self-contained model file.");
        arguments.AddTo(command);
        command.Options.Add(output);
        ConvergeApp.SetGuardedAction(command, context, parse =>
        {
            var options = arguments.Read(parse);
            var table = CsvTable.Read(parse.GetValue(arguments.Data)!, arguments.CsvOptions(parse));
            var fit = BinaryClassifier.Fit(table, options);
            var path = parse.GetValue(output)!;
            fit.Classifier.Save(path);
            context.Console.MarkupLineInterpolated($"saved [bold]{path}[/]");
            return ExitCodes.Ok;
        });
        return command;
    }
}
