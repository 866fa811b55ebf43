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
        var report = new Option<string?>("--report") { Description = "Also write a self-contained HTML report (ROC/PR, calibration, threshold, importance) to this file." };
        var command = new Command("evaluate", "Measure a trained model on labelled data: metrics and confusion matrix at the model's threshold.");
        command.Arguments.Add(modelArgument);
        command.Arguments.Add(dataArgument);
        csv.AddTo(command);
        command.Options.Add(json);
        command.Options.Add(report);
        ConvergeApp.SetGuardedAction(command, context, parse =>
        {
            var modelPath = parse.GetValue(modelArgument)!;
            var dataPath = parse.GetValue(dataArgument)!;
            var reportPath = parse.GetValue(report);
            if (reportPath is not null)
            {
                OutputPaths.CheckWritable("--report", reportPath);
                ReportPages.CheckNotAnInput("--report", reportPath, modelPath, dataPath);
            }
            var asJson = parse.GetValue(json);
            var keepRows = reportPath is not null || asJson;
            var model = BinaryClassifier.Load(modelPath);
            var encoded = new List<float>();
            var probabilities = new List<float>();
            var labels = new List<float>();
            RowTransformer? binding = null;
            var trainingRows = model.Training.TrainingRows?.CreateMatcher();
            using var reader = CsvInput.Open(context, dataPath, csv.Read(parse));
            var notices = StreamScorer.Score(model, reader,
                bound =>
                {
                    binding = bound;
                    if (!bound.HasLabel)
                        throw new DataError(reader.SourceName, reader.HeaderLine, model.Label.Column, null,
                            $"no label column {DataError.Quote(model.Label.Column)}, which the model predicts and evaluation needs; "
                            + $"the columns are {DataError.QuoteList(reader.ColumnNames, 20)}.");
                },
                batch =>
                {
                    probabilities.AddRange(batch.Probabilities.AsSpan(0, batch.Rows.Count));
                    foreach (var row in batch.Rows) labels.Add(binding!.ReadLabel(row.Cells, row.LineNumber));
                    // Importance needs the encoded rows; kept only when a report or JSON asks for it.
                    if (keepRows) encoded.AddRange(batch.Features);
                }, trainingRows);
            if (trainingRows is { Found: > 0 } seen && seen.Found >= 0.1 * seen.Checked)
                context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"warning: about {100.0 * seen.Found / seen.Checked:F0}% of these rows ({seen.Found} of the {seen.Checked} checked) are rows the model was trained on, so these metrics are optimistic; evaluate on rows held out from training."));
            var metrics = BinaryMetrics.Compute(probabilities.ToArray(), labels.ToArray(), model.Threshold);

            var importance = keepRows ? ReportPages.Importance(model, new Training.TrainingData([.. encoded], [.. labels], labels.Count, model.FeatureNames.Count)) : null;
            if (reportPath is not null)
                ReportPages.Evaluate(model, modelPath, dataPath, ReportPages.CommandLine(parse),
                    new ReportEvaluation(string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileName(dataPath)} ({metrics.Rows} rows)"), [.. probabilities], [.. labels], model.Threshold),
                    notices, importance).Save("--report", reportPath);
            if (asJson)
            {
                JsonReport.Write(context.Out, w =>
                {
                    JsonReport.MetricFields(w, metrics);
                    if (importance is not null) JsonReport.Importance(w, "importance", importance);
                    else w.WriteNull("importance");
                    JsonReport.Text(w, "report", reportPath);
                });
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
