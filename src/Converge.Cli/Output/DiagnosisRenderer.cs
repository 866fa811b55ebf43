using System.Globalization;
using System.Text.Json;
using Converge.Diagnosis;
using Spectre.Console;

namespace Converge.Cli.Output;

/// <summary>Prints a <see cref="DiagnosisReport"/>: grouped by severity for people (colored in a terminal), or one JSON object.</summary>
public static class DiagnosisRenderer
{
    /// <summary>The findings grouped by severity, each with evidence, cause, remedy and confirmation.</summary>
    public static void Render(CliContext context, DiagnosisReport diagnosis)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(diagnosis);
        var console = context.Console;
        foreach (var group in diagnosis.Findings.GroupBy(static f => f.Severity))
        {
            var (title, color) = Style(group.Key);
            console.MarkupLine($"[bold {color}]{title}[/]");
            foreach (var f in group)
            {
                console.MarkupLine($"  [{color}]●[/] [bold]{Markup.Escape(f.Code)}[/]: {Markup.Escape(f.Message)}");
                console.MarkupLine($"    [dim]evidence:[/] {Markup.Escape(f.Evidence)}");
                console.MarkupLine($"    [dim]cause:[/]    {Markup.Escape(f.Cause)}");
                console.MarkupLine($"    [dim]remedy:[/]   [green]{Markup.Escape(f.Remedy)}[/]");
                if (f.Confirmation is { } c) console.MarkupLine($"    [dim]confirmed:[/] {Markup.Escape(Describe(c))}");
            }
            console.WriteLine();
        }
        console.MarkupLine($"[bold]{Markup.Escape(diagnosis.Summary)}[/]");
    }

    /// <summary>One sentence for a confirmation, e.g. "--normalize standard instead of none: training log loss 0.679 → 0.083 after 100 epochs (gain 87.7 %)."</summary>
    public static string Describe(Confirmation confirmation)
    {
        ArgumentNullException.ThrowIfNull(confirmation);
        var c = confirmation;
        var isLoss = c.Metric.Contains("loss", StringComparison.Ordinal);
        var gain = isLoss ? (100 * c.Gain).ToString("0.#", CultureInfo.InvariantCulture) + " %" : c.Gain.ToString("+0.000;-0.000", CultureInfo.InvariantCulture);
        var verdict = c.Improved ? $"gain {gain}" : $"no improvement ({gain})";
        var text = string.Create(CultureInfo.InvariantCulture,
            $"{c.Tried}: {c.Metric} {c.Baseline:G4} → {c.Remedied:G4} after {c.Epochs} epochs ({c.Steps} steps each, same seed); {verdict}.");
        return c.Note is null ? text : $"{text} {c.Note}";
    }

    /// <summary>{"summary": …, "findings": [{"severity", "code", "message", "evidence", "values", "cause", "remedy", "confirmation"}]}.</summary>
    public static void RenderJson(TextWriter output, DiagnosisReport diagnosis)
    {
        ArgumentNullException.ThrowIfNull(diagnosis);
        JsonReport.Write(output, json => WriteFields(json, diagnosis));
    }

    /// <summary>The diagnosis's fields, into an object the caller has opened (so <c>train --json</c> can embed it).</summary>
    public static void WriteFields(Utf8JsonWriter json, DiagnosisReport diagnosis)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(diagnosis);
        json.WriteString("summary", diagnosis.Summary);
        json.WriteBoolean("problems", diagnosis.HasProblems);
        json.WriteStartArray("findings");
        foreach (var f in diagnosis.Findings)
        {
            json.WriteStartObject();
            json.WriteString("severity", f.Severity.ToString().ToLowerInvariant());
            json.WriteString("code", f.Code);
            json.WriteString("message", f.Message);
            json.WriteString("evidence", f.Evidence);
            json.WriteStartObject("values");
            foreach (var (name, value) in f.Values) JsonReport.Number(json, name, value);
            json.WriteEndObject();
            json.WriteString("cause", f.Cause);
            json.WriteString("remedy", f.Remedy);
            if (f.Confirmation is { } c)
            {
                json.WriteStartObject("confirmation");
                json.WriteString("tried", c.Tried);
                json.WriteString("metric", c.Metric);
                JsonReport.Number(json, "baseline", c.Baseline);
                JsonReport.Number(json, "remedied", c.Remedied);
                json.WriteNumber("epochs", c.Epochs);
                json.WriteNumber("steps", c.Steps);
                JsonReport.Number(json, "gain", c.Gain);
                json.WriteBoolean("improved", c.Improved);
                if (c.Note is not null) json.WriteString("note", c.Note);
                json.WriteEndObject();
            }
            else
            {
                json.WriteNull("confirmation");
            }
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    private static (string Title, string Color) Style(Severity severity) => severity switch
    {
        Severity.Error => ("Errors", "red"),
        Severity.Warning => ("Warnings", "yellow"),
        _ => ("Info", "blue"),
    };
}
