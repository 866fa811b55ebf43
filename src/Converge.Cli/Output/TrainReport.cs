using System.Globalization;
using Converge.Data;
using Converge.Diagnosis;
using Converge.Training;
using Spectre.Console;

namespace Converge.Cli.Output;

/// <summary>What <c>converge train</c> reports after training, for people or as JSON.</summary>
/// <param name="Fit">The fit.</param>
/// <param name="Table">The training table (for its name and row count).</param>
/// <param name="ModelPath">Where the model was written; null when it was not (divergence).</param>
/// <param name="PlotPath">Where the loss curve was written; null when it was not.</param>
public sealed record TrainReport(ClassifierFit Fit, CsvTable Table, string? ModelPath, string? PlotPath)
{
    /// <summary>The training doctor's findings on this run, printed after the report; null to leave them out.</summary>
    public DiagnosisReport? Diagnosis { get; init; }

    /// <summary>The model's log loss against the base-rate loss; null to leave it out (a diverged run).</summary>
    public BaseRateComparison? BaseRate { get; init; }

    /// <summary>Permutation importance on the validation rows, most important first; null when not computed.</summary>
    public IReadOnlyList<Evaluation.FeatureImportance>? Importance { get; init; }

    /// <summary>Where the HTML report was written; null when it was not asked for.</summary>
    public string? ReportPath { get; init; }

    private TrainingRun Run => Fit.Run;

    public void Render(IAnsiConsole console)
    {
        ArgumentNullException.ThrowIfNull(console);
        var label = Fit.Classifier.Label;
        var validationRows = Fit.Validation?.Rows ?? 0;
        ReportRenderer.Heading(console, "Data");
        ReportRenderer.Field(console, "rows", Fit.MemberCount > 1
            ? string.Create(CultureInfo.InvariantCulture,
                $"{Table.RowCount} in {Path.GetFileName(Table.SourceName)} → {Fit.Folds} stratified folds: each network trains on all but one fold and early-stops on it, so every row is trained on and validated once{(Fit.MemberCount < Fit.Folds ? $" (interrupted after {Fit.MemberCount} of the {Fit.Folds} networks: validated on their folds only)" : "")}")
            : string.Create(CultureInfo.InvariantCulture,
                $"{Table.RowCount} in {Path.GetFileName(Table.SourceName)} → {Fit.Train.Rows} train, {validationRows} validation (stratified)"));
        ReportRenderer.Field(console, "features", string.Create(CultureInfo.InvariantCulture,
            $"{Fit.Classifier.FeatureNames.Count} from {Fit.Classifier.Preprocessing.Columns.Count(static c => c.Kind != ColumnKind.Dropped)} columns"));
        ReportRenderer.Field(console, "label", $"{DataError.Quote(label.Column)}: {ReportRenderer.LabelMapping(label)}");
        ReportRenderer.Notices(console, [.. Table.Notices, .. Fit.Notices]);

        if (Run.StopReason == StopReason.Diverged)
        {
            ReportRenderer.Heading(console, "Training diverged");
            console.MarkupLine($"  [red]{Markup.Escape(Run.Divergence ?? "the loss became NaN or infinite.")}[/]");
            ReportRenderer.Field(console, "epochs run", Run.History.Count.ToString(CultureInfo.InvariantCulture));
            console.MarkupLine("  No model was written. Try a smaller --lr, --normalize standard, or --clip 1;");
            console.MarkupLine("  'converge diagnose' explains what went wrong.");
            return;
        }

        if (BaseRate is { NoBetter: true } baseRate)
        {
            ReportRenderer.Heading(console, "No better than the base rate");
            console.MarkupLine($"  [bold red]{Markup.Escape(baseRate.Message)}[/]");
            if (Diagnosis?.Findings.FirstOrDefault(static f => f.Severity >= Severity.Warning) is { } top)
                console.MarkupLine($"  [red]The doctor: {Markup.Escape(top.Code)}: {Markup.Escape(top.Message)}[/]");
            if (Diagnosis?.Search is { } search) console.MarkupLine($"  [red]{Markup.Escape(search.Summary)}[/]");
            console.MarkupLine("  The model was saved, but do not use it as a classifier; the diagnosis below says why.");
        }

        if (Fit.ValidationMetrics is { } metrics)
        {
            ReportRenderer.Heading(console, string.Create(CultureInfo.InvariantCulture, $"Validation ({metrics.Rows} rows{(Fit.MemberCount > 1 ? ", out-of-fold" : "")})"));
            ReportRenderer.Metrics(console, metrics, label);
            var threshold = string.Create(CultureInfo.InvariantCulture, $"{metrics.Threshold:0.####} (F1 {ReportRenderer.Number(metrics.F1)})");
            if (Fit.BestF1Threshold is { } t)
                threshold += string.Create(CultureInfo.InvariantCulture, $"; the F1-maximizing threshold is {t:0.####} (F1 {ReportRenderer.Number(Fit.BestF1 ?? double.NaN)})");
            ReportRenderer.Field(console, "threshold", threshold);
        }
        else
        {
            ReportRenderer.Heading(console, "Validation");
            console.MarkupLine("  none (--val-split 0): no metrics, no early stopping.");
        }

        ReportRenderer.Heading(console, "Training");
        ReportRenderer.Field(console, "epochs", string.Create(CultureInfo.InvariantCulture,
            $"{Run.History.Count} run, best epoch {Run.BestEpoch} (its weights are kept), {Describe(Run.StopReason)}"));
        ReportRenderer.Field(console, "time", ReportRenderer.Duration(Fit.TrainingSeconds));
        ReportRenderer.Field(console, "network", Fit.MemberCount == 1
            ? Fit.Classifier.Architecture.ToString()
            : string.Create(CultureInfo.InvariantCulture, $"{Fit.MemberCount} × {Fit.Classifier.Architecture} (cross-fitted; the epochs above are {(ReferenceEquals(Fit.Run, Fit.MemberRuns?[0]) ? "the first member's" : $"member {Fit.MemberCount}'s, where training stopped")})"));
        ReportRenderer.Decisions(console, Fit.Classifier.Training.Decisions);
        ReportRenderer.Heading(console, "Files");
        if (ModelPath is not null) ReportRenderer.Field(console, "model", ModelPath);
        if (PlotPath is not null) ReportRenderer.Field(console, "loss curve", PlotPath);
        if (ReportPath is not null) ReportRenderer.Field(console, "report", ReportPath);
    }

    public void WriteJson(TextWriter output) => JsonReport.Write(output, w =>
    {
        JsonReport.Text(w, "model", ModelPath);
        JsonReport.Text(w, "plot", PlotPath);
        // A cross-fitted ensemble trains on every row and validates each once (out of fold).
        w.WriteNumber("rows_train", Fit.Classifier.Training.TrainRows);
        w.WriteNumber("rows_validation", Fit.Classifier.Training.ValidationRows);
        w.WriteNumber("epochs_run", Run.History.Count);
        w.WriteNumber("best_epoch", Run.BestEpoch);
        w.WriteString("stop_reason", Run.StopReason.JsonName());
        if (Run.Divergence is not null) w.WriteString("divergence", Run.Divergence);
        JsonReport.Number(w, "seconds", Fit.TrainingSeconds);
        w.WriteNumber("members", Fit.MemberCount);
        if (Fit.MemberRuns is { } runs)
        {
            w.WriteStartArray("member_best_epochs");
            foreach (var r in runs) w.WriteNumberValue(r.BestEpoch);
            w.WriteEndArray();
        }
        JsonReport.Strings(w, "decisions", Fit.Classifier.Training.Decisions ?? []);
        JsonReport.Calibration(w, Fit.Classifier);
        JsonReport.Label(w, "label", Fit.Classifier.Label);
        JsonReport.Strings(w, "notices", Table.Notices.Concat(Fit.Notices).Select(static n => n.Message));
        if (Fit.ValidationMetrics is { } metrics && Run.StopReason != StopReason.Diverged)
        {
            w.WriteStartObject("validation");
            JsonReport.MetricFields(w, metrics);
            w.WriteEndObject();
        }
        else w.WriteNull("validation");
        var diverged = Run.StopReason == StopReason.Diverged;
        JsonReport.Number(w, "best_f1_threshold", diverged ? null : Fit.BestF1Threshold);
        JsonReport.Number(w, "best_f1", diverged ? null : Fit.BestF1);
        if (BaseRate is { } baseRate)
        {
            w.WriteStartObject("base_rate");
            w.WriteBoolean("no_better", baseRate.NoBetter);
            JsonReport.Number(w, "log_loss", baseRate.LogLoss);
            JsonReport.Number(w, "base_rate_loss", baseRate.BaseRateLoss);
            w.WriteString("rows", baseRate.Rows);
            w.WriteString("message", baseRate.Message);
            var top = Diagnosis?.Findings.FirstOrDefault(static f => f.Severity >= Severity.Warning);
            JsonReport.Text(w, "finding", baseRate.NoBetter ? top?.Code : null);
            w.WriteEndObject();
        }
        else w.WriteNull("base_rate");
        if (Importance is not null) JsonReport.Importance(w, "importance", Importance);
        else w.WriteNull("importance");
        JsonReport.Text(w, "report", ReportPath);
        if (Diagnosis is not null)
        {
            w.WriteStartObject("diagnosis");
            DiagnosisRenderer.WriteFields(w, Diagnosis);
            w.WriteEndObject();
        }
    });

    private static string Describe(StopReason reason) => reason switch
    {
        StopReason.EarlyStopped => "stopped early: the validation loss stopped improving",
        StopReason.Diverged => "diverged",
        StopReason.Interrupted => "interrupted (Ctrl-C): stopped after this epoch",
        _ => "all epochs completed",
    };
}
