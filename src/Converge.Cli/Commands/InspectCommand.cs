using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Converge.Cli.Output;
using Converge.Data;
using Converge.Training;
using Spectre.Console;

namespace Converge.Cli.Commands;

/// <summary><c>converge inspect MODEL [--json]</c>: what a model file holds and how it was trained.</summary>
public static class InspectCommand
{
    /// <summary>Features listed one by one with their scaling; beyond this the rest are summarized.</summary>
    private const int FeaturesShown = 40;

    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var modelArgument = new Argument<string>("model") { Description = "A model file written by 'converge train'." };
        var json = new Option<bool>("--json") { Description = "Print everything as one JSON object." };
        var command = new Command("inspect", "Show a model's architecture, preprocessing, label mapping, threshold and training summary.");
        command.Arguments.Add(modelArgument);
        command.Options.Add(json);
        ConvergeApp.SetGuardedAction(command, context, parse =>
        {
            var path = parse.GetValue(modelArgument)!;
            var model = BinaryClassifier.Load(path);
            if (parse.GetValue(json)) JsonReport.Write(context.Out, w => WriteJson(w, model));
            else Render(context.Console, path, model);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string Kind(ColumnKind kind) => kind.ToString().ToLowerInvariant();

    private static void Render(IAnsiConsole console, string path, BinaryClassifier model)
    {
        var training = model.Training;
        ReportRenderer.Heading(console, $"Model {Path.GetFileName(path)}");
        ReportRenderer.Field(console, "label", $"{DataError.Quote(model.Label.Column)}: {ReportRenderer.LabelMapping(model.Label)}");
        ReportRenderer.Field(console, "threshold", model.Threshold.ToString("0.####", CultureInfo.InvariantCulture));
        ReportRenderer.Field(console, "calibration", training.CalibrationDecision
            ?? (model.Calibration is { } map ? map.Method.ToString().ToLowerInvariant() : "none"));
        ReportRenderer.Field(console, "created", $"{training.CreatedUtc} by Converge {training.ConvergeVersion}");

        ReportRenderer.Heading(console, "Architecture");
        ReportRenderer.Field(console, "network", model.Architecture.ToString());
        ReportRenderer.Field(console, "members", model.Members.Count == 1
            ? "1 network"
            : string.Create(CultureInfo.InvariantCulture, $"{model.Members.Count} cross-fitted networks (the prediction is their mean probability; parameters below are per network)"));
        var layers = new Table { Border = TableBorder.Rounded }.AddColumn("#").AddColumn("layer").AddColumn(new TableColumn("parameters").RightAligned());
        for (var i = 0; i < model.Network.Count; i++)
        {
            var layer = model.Network[i];
            layers.AddRow(i.ToString(CultureInfo.InvariantCulture), Markup.Escape(layer.ToString()), layer.ParameterCount().ToString("N0", CultureInfo.InvariantCulture));
        }
        layers.AddRow("", "[bold]total[/]", $"[bold]{model.Network.ParameterCount().ToString("N0", CultureInfo.InvariantCulture)}[/]");
        console.Write(layers);

        ReportRenderer.Heading(console, "Preprocessing");
        ReportRenderer.Field(console, "missing values", model.Preprocessing.MissingPolicy.ToString().ToLowerInvariant());
        var scaler = model.Scaler;
        var columns = new Table { Border = TableBorder.Rounded }
            .AddColumn("column").AddColumn("kind").AddColumn("missing values → / why dropped").AddColumn(new TableColumn("features").RightAligned());
        if (scaler is not null) columns.AddColumn(new TableColumn("mean").RightAligned()).AddColumn(new TableColumn("scale").RightAligned());
        var offset = 0;
        foreach (var c in model.Preprocessing.Columns)
        {
            var detail = c.Kind switch
            {
                ColumnKind.Numeric => $"median {G(c.ImputeValue ?? double.NaN)}",
                ColumnKind.Categorical => $"most frequent {DataError.Quote(c.ImputeCategory)}",
                _ => c.Reason ?? "",
            };
            var width = c.Kind == ColumnKind.Categorical ? $"{c.Width} one-hot" : c.Width.ToString(CultureInfo.InvariantCulture);
            var row = new List<string> { Markup.Escape(c.Name), Kind(c.Kind), Markup.Escape(detail), width };
            // One-hot features are standardized too, but one mean per category says little; numeric columns get theirs.
            if (scaler is not null) row.AddRange(c.Kind == ColumnKind.Numeric ? [G(scaler.Mean[offset]), G(scaler.Scale[offset])] : ["", ""]);
            columns.AddRow([.. row]);
            offset += c.Width;
        }
        console.Write(columns);
        var names = model.FeatureNames;
        var shown = string.Join(", ", names.Take(FeaturesShown));
        ReportRenderer.Field(console, "feature order", names.Count > FeaturesShown
            ? string.Create(CultureInfo.InvariantCulture, $"{shown}, … ({names.Count} in all; 'inspect --json' lists them)")
            : shown);
        ReportRenderer.Field(console, "standardization", scaler is null
            ? "none (the network sees the encoded values as they are)"
            : "z = (x − mean) / scale per feature, fitted on the training rows");

        ReportRenderer.Heading(console, "Training");
        ReportRenderer.Field(console, "options", string.Join("  ", training.Options.Select(static kv => $"{kv.Key}={kv.Value}")));
        ReportRenderer.Field(console, "rows", string.Create(CultureInfo.InvariantCulture, $"{training.TrainRows} train, {training.ValidationRows} validation"));
        ReportRenderer.Field(console, "epochs", string.Create(CultureInfo.InvariantCulture, $"{training.EpochsRun} run, best epoch {training.BestEpoch}, stop reason: {training.StopReason}"));
        ReportRenderer.Field(console, "time", ReportRenderer.Duration(training.Seconds));
        if (training.ValidationMetrics.Count > 0)
            ReportRenderer.Field(console, "validation", string.Join("  ", training.ValidationMetrics.Select(static kv =>
                $"{kv.Key}={(kv.Key == "rows" ? kv.Value.ToString(CultureInfo.InvariantCulture) : ReportRenderer.Number(kv.Value))}")));
        ReportRenderer.Decisions(console, training.Decisions);
    }

    private static string G(double value) => value.ToString("G5", CultureInfo.InvariantCulture);

    private static void WriteJson(Utf8JsonWriter w, BinaryClassifier model)
    {
        var a = model.Architecture;
        w.WriteStartObject("architecture");
        w.WriteString("description", a.ToString());
        w.WriteNumber("inputs", a.Inputs);
        w.WriteStartArray("hidden");
        foreach (var h in a.Hidden) w.WriteNumberValue(h);
        w.WriteEndArray();
        w.WriteString("activation", a.Activation.ToString().ToLowerInvariant());
        w.WriteBoolean("input_batchnorm", a.InputBatchNorm);
        w.WriteBoolean("output_sigmoid", a.OutputSigmoid);
        w.WriteNumber("parameters", model.Network.ParameterCount());
        w.WriteStartArray("layers");
        for (var i = 0; i < model.Network.Count; i++)
        {
            w.WriteStartObject();
            w.WriteString("name", i.ToString(CultureInfo.InvariantCulture));
            w.WriteString("type", model.Network[i].GetType().Name);
            w.WriteString("description", model.Network[i].ToString());
            w.WriteNumber("parameters", model.Network[i].ParameterCount());
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();

        w.WriteStartObject("preprocessing");
        w.WriteString("missing_policy", model.Preprocessing.MissingPolicy.ToString().ToLowerInvariant());
        w.WriteStartArray("columns");
        foreach (var c in model.Preprocessing.Columns)
        {
            w.WriteStartObject();
            w.WriteString("name", c.Name);
            w.WriteString("kind", Kind(c.Kind));
            if (c.ImputeValue is { } v) JsonReport.Number(w, "impute_value", v);
            if (c.ImputeCategory is { } category) w.WriteString("impute_value", category);
            if (c.Kind == ColumnKind.Categorical) w.WriteNumber("vocabulary_size", c.Width);
            if (c.Reason is { } reason) w.WriteString("reason", reason);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        JsonReport.Strings(w, "features", model.FeatureNames);
        if (model.Scaler is { } scaler)
        {
            w.WriteStartObject("scaler");
            Numbers(w, "mean", scaler.Mean);
            Numbers(w, "scale", scaler.Scale);
            w.WriteEndObject();
        }
        else w.WriteNull("scaler");
        w.WriteEndObject();

        JsonReport.Label(w, "label", model.Label);
        w.WriteNumber("threshold", model.Threshold);
        JsonReport.Calibration(w, model);

        var t = model.Training;
        w.WriteStartObject("training");
        w.WriteString("created_utc", t.CreatedUtc);
        w.WriteString("converge_version", t.ConvergeVersion);
        w.WriteStartObject("options");
        foreach (var (key, value) in t.Options) w.WriteString(key, value);
        w.WriteEndObject();
        w.WriteNumber("rows_train", t.TrainRows);
        w.WriteNumber("rows_validation", t.ValidationRows);
        w.WriteNumber("epochs_run", t.EpochsRun);
        w.WriteNumber("best_epoch", t.BestEpoch);
        w.WriteNumber("members", model.Members.Count);
        if (t.MemberBestEpochs is { } epochs)
        {
            w.WriteStartArray("member_best_epochs");
            foreach (var e in epochs) w.WriteNumberValue(e);
            w.WriteEndArray();
        }
        JsonReport.Strings(w, "decisions", t.Decisions ?? []);
        w.WriteString("stop_reason", StopReasonNames.JsonName(t.StopReason));
        JsonReport.Number(w, "seconds", t.Seconds);
        w.WriteStartObject("validation");
        foreach (var (key, value) in t.ValidationMetrics) JsonReport.Number(w, key, value);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void Numbers(Utf8JsonWriter w, string name, IReadOnlyList<double> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values) w.WriteNumberValue(v);
        w.WriteEndArray();
    }
}
