using System.Globalization;
using System.Text.Json;
using Converge.Diagnosis;
using Converge.Training;
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
                if (f.Confirmation is { } c) console.MarkupLine($"    [dim]tested:[/]   {Markup.Escape(Describe(c))}");
            }
            console.WriteLine();
        }
        if (diagnosis.Search is { } search) RenderSearch(console, search);
        console.MarkupLine($"[bold]{Markup.Escape(diagnosis.Summary)}[/]");
    }

    private static void RenderSearch(IAnsiConsole console, RemedySearchResult search)
    {
        var best = search.Best;
        var (title, color) = best.Outcome switch
        {
            RemedyOutcome.Repaired => ("Repaired", "green"),
            RemedyOutcome.Improved => ("Improved, not repaired", "yellow"),
            _ => ("No remedy tried helped", "red"),
        };
        console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
            $"[bold]Remedy search[/] [dim]({search.Trials.Count} candidates × up to {search.EpochsPerTrial} epochs, same data and seed, {search.Elapsed.TotalSeconds:0.0} s; budget {search.Budget:0.#} s{(search.Skipped > 0 ? $", {search.Skipped} skipped for time" : "")})[/]"));
        foreach (var t in search.Trials)
            console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                $"    {Markup.Escape(t.Flags),-44} {search.Metric} {t.Metric:G4}{(t.StopReason == Training.StopReason.Diverged ? " (diverged)" : "")}"));
        console.MarkupLine($"  [bold {color}]{title}[/]: {Markup.Escape(Describe(best))}");
        if (best.Outcome != RemedyOutcome.NotHelped)
        {
            console.MarkupLine($"    [dim]CLI:[/] [green]{Markup.Escape(best.Flags)}[/]");
            console.MarkupLine($"    [dim]C#:[/]  [green]{Markup.Escape(best.Code)}[/]");
        }
        console.WriteLine();
    }

    /// <summary>One sentence for a tested remedy, e.g. "standardize the inputs: training log loss 0.679 → 0.021 after 1000 epochs (as configured 1000); repaired (healthy ≤ 0.068, …)."</summary>
    public static string Describe(Confirmation confirmation)
    {
        ArgumentNullException.ThrowIfNull(confirmation);
        var c = confirmation;
        var isLoss = c.Metric.Contains("loss", StringComparison.Ordinal);
        var gain = isLoss ? (100 * c.Gain).ToString("0.#", CultureInfo.InvariantCulture) + " % lower" : c.Gain.ToString("+0.000;-0.000", CultureInfo.InvariantCulture);
        var healthy = double.IsNaN(c.HealthyLevel) ? "" : string.Create(CultureInfo.InvariantCulture, $" (healthy {(isLoss ? "≤" : "≥")} {c.HealthyLevel:G3}: {c.HealthyBasis})");
        var verdict = c.Outcome switch
        {
            RemedyOutcome.Repaired => $"repaired, {gain}{healthy}",
            RemedyOutcome.Improved => $"improved, {gain}, not yet healthy{healthy}",
            _ => isLoss && c.Remedied >= c.BaseRateLoss * 0.95
                ? string.Create(CultureInfo.InvariantCulture, $"not helped: still at the base-rate loss {c.BaseRateLoss:G3}")
                : "not helped",
        };
        var text = string.Create(CultureInfo.InvariantCulture,
            $"{c.Tried} ({c.Flags}): {c.Metric} {c.Baseline:G4} → {c.Remedied:G4} after {c.Epochs} epochs ({c.Steps} steps; as configured {c.BaselineEpochs} epochs), same data and seed; {verdict}.");
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
                WriteOutcome(json, c);
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
        if (diagnosis.Search is not { } search)
        {
            json.WriteNull("remedy_search");
            return;
        }
        json.WriteStartObject("remedy_search");
        json.WriteString("metric", search.Metric);
        JsonReport.Number(json, "baseline", search.Baseline);
        json.WriteNumber("epochs_per_trial", search.EpochsPerTrial);
        json.WriteNumber("skipped", search.Skipped);
        JsonReport.Number(json, "budget_seconds", search.Budget);
        JsonReport.Number(json, "seconds", search.Elapsed.TotalSeconds);
        json.WriteString("summary", search.Summary);
        json.WriteStartObject("best");
        json.WriteString("tried", search.Best.Tried);
        JsonReport.Number(json, "remedied", search.Best.Remedied);
        WriteOutcome(json, search.Best);
        json.WriteEndObject();
        json.WriteStartArray("trials");
        foreach (var t in search.Trials)
        {
            json.WriteStartObject();
            json.WriteString("tried", t.Tried);
            json.WriteString("flags", t.Flags);
            json.WriteString("code", t.Code);
            JsonReport.Number(json, "metric", t.Metric);
            json.WriteNumber("epochs", t.Epochs);
            json.WriteString("stop_reason", t.StopReason.JsonName());
            JsonReport.Number(json, "seconds", t.Elapsed.TotalSeconds);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteOutcome(Utf8JsonWriter json, Confirmation c)
    {
        json.WriteString("outcome", c.Outcome switch { RemedyOutcome.Repaired => "repaired", RemedyOutcome.Improved => "improved", _ => "not_helped" });
        json.WriteString("flags", c.Flags);
        json.WriteString("code", c.Code);
        JsonReport.Number(json, "healthy_level", c.HealthyLevel);
        json.WriteString("healthy_basis", c.HealthyBasis);
        JsonReport.Number(json, "base_rate_loss", c.BaseRateLoss);
        json.WriteNumber("baseline_epochs", c.BaselineEpochs);
    }

    private static (string Title, string Color) Style(Severity severity) => severity switch
    {
        Severity.Error => ("Errors", "red"),
        Severity.Warning => ("Warnings", "yellow"),
        _ => ("Info", "blue"),
    };
}
