using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Converge.Data;
using Converge.Evaluation;

namespace Converge.Cli.Output;

/// <summary>
/// Machine-readable reports: one JSON object written with <see cref="Utf8JsonWriter"/> (no reflection).
/// Non-finite numbers (a ROC AUC with one class) become null, since JSON has no NaN. The relaxed encoder keeps
/// '+' and non-ASCII text readable; the output is never embedded in HTML.
/// </summary>
public static class JsonReport
{
    /// <summary>Builds one JSON object and writes it, followed by a newline, to <paramref name="output"/>.</summary>
    public static void Write(TextWriter output, Action<Utf8JsonWriter> body)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(body);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }
        output.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
    }

    /// <summary>A number, or null when it is NaN or infinite.</summary>
    public static void Number(Utf8JsonWriter writer, string name, double? value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is { } v && double.IsFinite(v)) writer.WriteNumber(name, v);
        else writer.WriteNull(name);
    }

    /// <summary>A string, or null.</summary>
    public static void Text(Utf8JsonWriter writer, string name, string? value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is null) writer.WriteNull(name);
        else writer.WriteString(name, value);
    }

    /// <summary>The metric fields (accuracy … rows, positives) into the current object.</summary>
    public static void MetricFields(Utf8JsonWriter writer, BinaryMetrics m)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(m);
        Number(writer, "accuracy", m.Accuracy);
        Number(writer, "precision", m.Precision);
        Number(writer, "recall", m.Recall);
        Number(writer, "f1", m.F1);
        Number(writer, "roc_auc", m.RocAuc);
        Number(writer, "pr_auc", m.PrAuc);
        Number(writer, "log_loss", m.LogLoss);
        Number(writer, "brier_score", m.BrierScore);
        Number(writer, "ece", m.ExpectedCalibrationError);
        Number(writer, "threshold", m.Threshold);
        writer.WriteStartObject("confusion_matrix");
        writer.WriteNumber("tp", m.ConfusionMatrix.TruePositives);
        writer.WriteNumber("fp", m.ConfusionMatrix.FalsePositives);
        writer.WriteNumber("tn", m.ConfusionMatrix.TrueNegatives);
        writer.WriteNumber("fn", m.ConfusionMatrix.FalseNegatives);
        writer.WriteEndObject();
        writer.WriteNumber("rows", m.Rows);
        writer.WriteNumber("positives", m.Positives);
    }

    /// <summary>An array of {"feature", "mean", "std", "drops"} under <paramref name="name"/>, most important first as given.</summary>
    public static void Importance(Utf8JsonWriter writer, string name, IReadOnlyList<FeatureImportance> importance)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(importance);
        writer.WriteStartArray(name);
        foreach (var f in importance)
        {
            writer.WriteStartObject();
            writer.WriteString("feature", f.Name);
            Number(writer, "mean", f.Mean);
            Number(writer, "std", f.StandardDeviation);
            writer.WriteStartArray("drops");
            foreach (var d in f.Drops)
                if (double.IsFinite(d)) writer.WriteNumberValue(d);
                else writer.WriteNullValue();
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }

    /// <summary>{"column", "positive", "negative"} under <paramref name="name"/>.</summary>
    public static void Label(Utf8JsonWriter writer, string name, LabelMapping label)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(label);
        writer.WriteStartObject(name);
        writer.WriteString("column", label.Column);
        writer.WriteString("positive", label.Positive);
        writer.WriteString("negative", label.Negative);
        writer.WriteEndObject();
    }

    /// <summary>An array of strings under <paramref name="name"/>.</summary>
    public static void Strings(Utf8JsonWriter writer, string name, IEnumerable<string> values)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(values);
        writer.WriteStartArray(name);
        foreach (var v in values) writer.WriteStringValue(v);
        writer.WriteEndArray();
    }

    /// <summary>
    /// <c>"calibration": {"method": "none" | "platt" | "isotonic", "cross_validated_log_loss": {…} | null}</c>: what the
    /// model applies after its networks, and the log loss of each method as measured when it was chosen.
    /// </summary>
    public static void Calibration(Utf8JsonWriter writer, BinaryClassifier model)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(model);
        writer.WriteStartObject("calibration");
        writer.WriteString("method", (model.Calibration?.Method ?? Training.CalibrationMethod.None).ToString().ToLowerInvariant());
        if (model.Training.CalibrationLogLoss is { } measured)
        {
            writer.WriteStartObject("cross_validated_log_loss");
            foreach (var (method, logLoss) in measured) Number(writer, method, logLoss);
            writer.WriteEndObject();
        }
        else writer.WriteNull("cross_validated_log_loss");
        writer.WriteEndObject();
    }
}
