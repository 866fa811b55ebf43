using System.CommandLine;
using System.Globalization;
using Converge.Cli.Output;
using Converge.Data;

namespace Converge.Cli.Commands;

/// <summary>
/// <c>converge predict MODEL DATA.csv [--output FILE] [--id COLUMN]</c>: streams the rows through the model and
/// writes [id,] probability, label, class per row, in input order.
/// </summary>
public static class PredictCommand
{
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var modelArgument = new Argument<string>("model") { Description = "A model file written by 'converge train'." };
        var dataArgument = new Argument<string>("data") { Description = "A CSV with the training file's feature columns (a label column, if present, is ignored)." };
        var output = new Option<string?>("--output", "-o") { Description = "Write the predictions to this CSV (atomically) instead of standard output." };
        var id = new Option<string?>("--id") { Description = "A column to copy into the output, to match predictions to rows." };
        var csvInput = new CsvInput();
        var command = new Command("predict", "Predict each row of a CSV: probability of the positive class, 0/1 at the model's threshold, and the class name.");
        command.Arguments.Add(modelArgument);
        command.Arguments.Add(dataArgument);
        foreach (var option in new Option[] { output, id }) command.Options.Add(option);
        csvInput.AddTo(command);
        ConvergeApp.SetGuardedAction(command, context, parse =>
        {
            var model = BinaryClassifier.Load(parse.GetValue(modelArgument)!);
            var dataPath = parse.GetValue(dataArgument)!;
            var csv = csvInput.Read(parse);
            var outputPath = parse.GetValue(output);
            var idColumn = parse.GetValue(id);
            if (outputPath is not null) OutputPaths.CheckWritable("--output", outputPath, ("the model", parse.GetValue(modelArgument)), ("the data", dataPath));

            var (rows, positives) = (0, 0);
            IReadOnlyList<DataNotice> notices = [];
            void Write(TextWriter writer)
            {
                var idIndex = -1;
                using var reader = CsvInput.Open(context, dataPath, csv);
                notices = StreamScorer.Score(model, reader,
                    _ =>
                    {
                        if (idColumn is not null)
                        {
                            idIndex = IndexOf(reader.ColumnNames, idColumn);
                            if (idIndex < 0)
                                throw new DataError(reader.SourceName, reader.HeaderLine, idColumn, null,
                                    $"no column named {DataError.Quote(idColumn)} for --id; the columns are {DataError.QuoteList(reader.ColumnNames, 20)}.");
                        }
                        writer.WriteLine(idIndex >= 0 ? $"{Escape(idColumn!)},probability,label,class" : "probability,label,class");
                    },
                    batch =>
                    {
                        var (rowsOfBatch, probabilities) = (batch.Rows, batch.Probabilities);
                        for (var i = 0; i < rowsOfBatch.Count; i++)
                        {
                            var positive = probabilities[i] >= model.Threshold;
                            if (idIndex >= 0)
                            {
                                writer.Write(Escape(rowsOfBatch[i].Cells[idIndex] ?? ""));
                                writer.Write(',');
                            }
                            writer.Write(probabilities[i].ToString("G6", CultureInfo.InvariantCulture));
                            writer.Write(positive ? ",1," : ",0,");
                            writer.WriteLine(Escape(positive ? model.Label.Positive : model.Label.Negative));
                            if (positive) positives++;
                        }
                        rows += rowsOfBatch.Count;
                    });
            }

            if (outputPath is null)
            {
                Write(context.Out);
                context.Out.Flush();
            }
            else OutputPaths.WriteAtomically("--output", outputPath, Write);

            foreach (var notice in notices) context.Error.WriteLine($"note: {notice.Message}");
            if (outputPath is not null)
                context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"wrote {rows} predictions to {outputPath} ({positives} {DataError.Quote(model.Label.Positive)}, {rows - positives} {DataError.Quote(model.Label.Negative)} at threshold {model.Threshold:0.####})"));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (var i = 0; i < names.Count; i++)
            if (string.Equals(names[i], name, StringComparison.Ordinal)) return i;
        return -1;
    }

    /// <summary>RFC 4180 quoting when a value holds a comma, quote, line break or edge spaces (which a reader would trim).</summary>
    internal static string Escape(string value)
    {
        var needs = value.AsSpan().IndexOfAny(",\"\r\n") >= 0 || (value.Length > 0 && (value[0] == ' ' || value[^1] == ' '));
        return needs ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;
    }
}
