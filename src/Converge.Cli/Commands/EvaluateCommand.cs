using System.CommandLine;
using System.Globalization;
using Converge.Cli.Output;
using Converge.Data;
using Converge.Evaluation;
using Spectre.Console;

namespace Converge.Cli.Commands;

/// <summary><c>converge evaluate MODEL DATA.csv [--json]</c>: metrics on labelled data at the model's threshold.</summary>
public static class EvaluateCommand
{
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var modelArgument = new Argument<string>("model") { Description = "A model file written by 'converge train'." };
        var dataArgument = new Argument<string>("data") { Description = "A CSV with the same columns as the training file, label included." };
        var csv = new CsvInput();
        var json = new Option<bool>("--json") { Description = "Print the metrics as one JSON object." };
        var command = new Command("evaluate", "Measure a trained model on labelled data: metrics and confusion matrix at the model's threshold.");
        command.Arguments.Add(modelArgument);
        command.Arguments.Add(dataArgument);
        csv.AddTo(command);
        command.Options.Add(json);
        ConvergeApp.SetGuardedAction(command, context, parse =>
        {
            var modelPath = parse.GetValue(modelArgument)!;
            var dataPath = parse.GetValue(dataArgument)!;
            var model = BinaryClassifier.Load(modelPath);
            var probabilities = new List<float>();
            var labels = new List<float>();
            RowTransformer? binding = null;
            var notices = StreamScorer.Score(context, model, dataPath, csv.Read(parse),
                (reader, bound) =>
                {
                    binding = bound;
                    if (!bound.HasLabel)
                        throw new DataError(reader.SourceName, reader.HeaderLine, model.Label.Column, null,
                            $"no label column {DataError.Quote(model.Label.Column)}, which the model predicts and evaluation needs; "
                            + $"the columns are {DataError.QuoteList(reader.ColumnNames, 20)}.");
                },
                (rows, p) =>
                {
                    probabilities.AddRange(p);
                    foreach (var row in rows) labels.Add(binding!.ReadLabel(row.Cells, row.LineNumber));
                });
            var metrics = BinaryMetrics.Compute(probabilities.ToArray(), labels.ToArray(), model.Threshold);

            if (parse.GetValue(json))
            {
                JsonReport.Write(context.Out, w => JsonReport.MetricFields(w, metrics));
                foreach (var notice in notices) context.Error.WriteLine($"note: {notice.Message}");
                return ExitCodes.Ok;
            }
            var console = context.Console;
            ReportRenderer.Heading(console, string.Create(CultureInfo.InvariantCulture,
                $"{CsvInput.DisplayName(dataPath)}: {metrics.Rows} rows, {metrics.Positives} {DataError.Quote(model.Label.Positive)} (positive)"));
            ReportRenderer.Field(console, "model", $"{modelPath} ({model.Architecture})");
            ReportRenderer.Field(console, "label", $"{DataError.Quote(model.Label.Column)}: {ReportRenderer.LabelMapping(model.Label)}");
            ReportRenderer.Notices(console, notices, "Notices");
            console.WriteLine();
            ReportRenderer.Metrics(console, metrics, model.Label);
            return ExitCodes.Ok;
        });
        return command;
    }
}
