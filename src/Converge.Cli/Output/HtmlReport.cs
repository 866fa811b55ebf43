using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using System.Text;
using Converge.Data;
using Converge.Diagnosis;
using Converge.Evaluation;

namespace Converge.Cli.Output;

/// <summary>Probabilities and 0/1 labels of the rows a report evaluates on, and the decision threshold.</summary>
/// <param name="Name">What the rows are, e.g. "validation split (114 rows)".</param>
/// <param name="Probabilities">P(positive) per row.</param>
/// <param name="Labels">0/1 label per row.</param>
/// <param name="Threshold">The model's threshold.</param>
public sealed record ReportEvaluation(string Name, float[] Probabilities, float[] Labels, double Threshold);

/// <summary>
/// One self-contained HTML page about a run: inline CSS and inline SVG charts, no script, no external
/// resource, so it opens offline, reads without JavaScript and prints. Each chart sits in a
/// <c>&lt;figure class="chart" data-chart="…"&gt;</c>, which the browser test checks.
/// </summary>
public sealed class HtmlReport
{
    private readonly StringBuilder _body = new();
    private readonly string _title;

    /// <summary>Starts a page titled <paramref name="title"/>, with <paramref name="subtitle"/> (the command that made it) below.</summary>
    public HtmlReport(string title, string subtitle)
    {
        _title = title;
        _body.Append("<header><h1>").Append(E(title)).Append("</h1><p class=\"sub\">").Append(E(subtitle)).Append("</p></header>\n");
    }

    /// <summary>A section of name/value rows.</summary>
    public HtmlReport Facts(string heading, IEnumerable<(string Name, string Value)> facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        Open(heading);
        _body.Append("<table class=\"facts\">");
        foreach (var (n, v) in facts) _body.Append("<tr><th>").Append(E(n)).Append("</th><td>").Append(E(v)).Append("</td></tr>");
        _body.Append("</table>\n");
        return Close();
    }

    /// <summary>The preprocessing decisions: one row per column, and the notices.</summary>
    public HtmlReport Preprocessing(PreprocessingSpec spec, IEnumerable<DataNotice> notices)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(notices);
        Open("Preprocessing (fitted on the training rows)");
        var kinds = string.Join(", ", spec.Columns.GroupBy(static c => c.Kind).Select(static g => $"{g.Count()} {g.Key.ToString().ToLowerInvariant()}"));
        _body.Append("<details><summary>").Append(E($"{spec.Columns.Count} columns: {kinds} (the table per column)")).Append("</summary>");
        _body.Append("<table class=\"grid\"><tr><th>column</th><th>treated as</th><th>features</th><th>missing values become</th><th>note</th></tr>");
        foreach (var c in spec.Columns)
        {
            var impute = c.ImputeValue is { } v ? v.ToString("G6", CultureInfo.InvariantCulture) : c.ImputeCategory ?? "";
            var note = c.Reason ?? (c.Vocabulary is { } vocab ? $"categories: {string.Join(", ", vocab.Take(8))}{(vocab.Count > 8 ? ", …" : "")}" : "");
            _body.Append("<tr><td>").Append(E(c.Name)).Append("</td><td>").Append(E(c.Kind.ToString().ToLowerInvariant()))
                .Append("</td><td class=\"num\">").Append(c.Width).Append("</td><td>").Append(E(impute)).Append("</td><td>").Append(E(note)).Append("</td></tr>");
        }
        _body.Append("</table></details>\n");
        var list = notices.ToList();
        if (list.Count > 0)
        {
            _body.Append("<ul class=\"notes\">");
            foreach (var n in list) _body.Append("<li>").Append(E(n.Message)).Append("</li>");
            _body.Append("</ul>\n");
        }
        return Close();
    }

    /// <summary>The loss curves (one chart) and a note on how training stopped.</summary>
    public HtmlReport Training(IReadOnlyList<double> trainLoss, IReadOnlyList<double> validationLoss, int bestEpoch, string note,
        IReadOnlyList<(IReadOnlyList<double> Train, IReadOnlyList<double> Validation, int BestEpoch)>? members = null)
    {
        Open("Training");
        _body.Append("<p>").Append(E(note)).Append("</p>\n<div class=\"charts\">");
        if (members is { Count: > 1 }) Chart("loss", ReportCharts.MemberLoss(members));
        else Chart("loss", ReportCharts.Loss(trainLoss, validationLoss, bestEpoch));
        _body.Append("</div>\n");
        return Close();
    }

    /// <summary>Metrics, confusion matrix, ROC, precision–recall, calibration and metrics-by-threshold charts.</summary>
    public HtmlReport Evaluation(ReportEvaluation e, LabelMapping label, double? bestF1Threshold, string calibrationNote)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(label);
        var m = BinaryMetrics.Compute(e.Probabilities, e.Labels, e.Threshold);
        var curve = ThresholdCurve.Compute(e.Probabilities, e.Labels);
        var calibration = CalibrationCurve.Compute(e.Probabilities, e.Labels);
        Open($"Quality on the {e.Name}");
        _body.Append("<div class=\"tiles\">");
        Tile("ROC AUC", m.RocAuc);
        Tile("average precision", m.PrAuc);
        Tile("accuracy", m.Accuracy);
        Tile("F1", m.F1);
        Tile("log loss", m.LogLoss);
        Tile("Brier score", m.BrierScore);
        Tile("ECE", m.ExpectedCalibrationError);
        _body.Append("</div>\n");
        var thresholdNote = string.Create(CultureInfo.InvariantCulture, $"Threshold {e.Threshold:0.####}: a row is predicted {label.Positive} when P({label.Positive}) ≥ threshold. Precision {Num(m.Precision)}, recall {Num(m.Recall)}.");
        if (bestF1Threshold is { } t) thresholdNote += string.Create(CultureInfo.InvariantCulture, $" The F1-maximizing threshold on these rows is {t:0.####}.");
        _body.Append("<p>").Append(E(thresholdNote)).Append("</p>\n");
        var c = m.ConfusionMatrix;
        _body.Append("<table class=\"confusion\"><caption>Confusion matrix (rows: actual, columns: predicted)</caption><tr><th></th><th>")
            .Append(E(label.Negative)).Append("</th><th>").Append(E(label.Positive)).Append("</th></tr>");
        ConfusionRow(label.Negative, c.TrueNegatives, c.FalsePositives, m.Rows, true);
        ConfusionRow(label.Positive, c.FalseNegatives, c.TruePositives, m.Rows, false);
        _body.Append("</table>\n<div class=\"charts\">");
        if (curve.Roc().Count > 0) Chart("roc", ReportCharts.Roc(curve, m.RocAuc));
        if (curve.PrecisionRecall().Count > 0) Chart("precision-recall", ReportCharts.PrecisionRecall(curve, m.PrAuc));
        Chart("calibration", ReportCharts.Calibration(calibration, m.BrierScore));
        Chart("probabilities", ReportCharts.Histogram(calibration));
        Chart("threshold", ReportCharts.MetricsByThreshold(curve, e.Threshold));
        _body.Append("</div>\n");
        _body.Append("<p class=\"note\">Calibration: ").Append(CalibrationCurve.DefaultBins)
            .Append(" equal-width bins; ECE is the row-weighted mean gap between a bin's mean probability and its fraction of positives. ")
            .Append(E(calibrationNote)).Append("</p>\n");
        return Close();
    }

    /// <summary>The permutation importance table and chart.</summary>
    public HtmlReport Importance(IReadOnlyList<FeatureImportance> importance, string rowsName, int repeats)
    {
        ArgumentNullException.ThrowIfNull(importance);
        Open("Feature importance");
        _body.Append("<p>").Append(E($"Permutation importance on the {rowsName}: each column's values are shuffled across rows ({repeats} times) and the drop in ROC AUC is measured. A categorical column's one-hot features are shuffled together. Near 0 (or below) means the model does not rely on it.")).Append("</p>\n<div class=\"charts\">");
        Chart("importance", ReportCharts.Importance(importance, "ROC AUC"));
        _body.Append("<table class=\"grid\"><tr><th>column</th><th>mean drop</th><th>sd</th></tr>");
        foreach (var f in importance)
            _body.Append("<tr><td>").Append(E(f.Name)).Append("</td><td class=\"num\">").Append(Num(f.Mean, "0.0000")).Append("</td><td class=\"num\">").Append(Num(f.StandardDeviation, "0.0000")).Append("</td></tr>");
        _body.Append("</table></div>\n");
        return Close();
    }

    /// <summary>The training doctor's findings with evidence, cause, remedy and the remedy's test.</summary>
    public HtmlReport Diagnosis(DiagnosisReport diagnosis)
    {
        ArgumentNullException.ThrowIfNull(diagnosis);
        Open("Diagnosis");
        _body.Append("<p>").Append(E(diagnosis.Summary)).Append("</p>\n");
        foreach (var f in diagnosis.Findings.OrderByDescending(static f => f.Severity))
        {
            var severity = f.Severity.ToString().ToLowerInvariant();
            _body.Append("<div class=\"finding ").Append(severity).Append("\"><h3><span class=\"tag\">").Append(severity).Append("</span> ")
                .Append(E(f.Code)).Append(": ").Append(E(f.Message)).Append("</h3><dl>");
            Term("evidence", f.Evidence);
            Term("cause", f.Cause);
            Term("remedy", f.Remedy);
            if (f.Confirmation is { } c) Term(c.Improved ? "confirmed" : "tested, did not help", DiagnosisRenderer.Describe(c));
            _body.Append("</dl></div>\n");
        }
        return Close();
    }

    /// <summary>The options and versions needed to reproduce the run.</summary>
    public HtmlReport Reproduce(IReadOnlyDictionary<string, string> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var facts = options.OrderBy(static kv => kv.Key, StringComparer.Ordinal).Select(static kv => (kv.Key, kv.Value)).ToList();
        facts.Add(("Converge", BinaryClassifier.Version));
        facts.Add((".NET", RuntimeInformation.FrameworkDescription));
        facts.Add(("OS", RuntimeInformation.OSDescription));
        facts.Add(("written", DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)));
        return Facts("Options and versions", facts);
    }

    /// <summary>Writes the page atomically to <paramref name="path"/>; <paramref name="option"/> names it in errors.</summary>
    public void Save(string option, string path) => OutputPaths.WriteAtomically(option, path, w => w.Write(ToHtml()));

    /// <summary>The whole page.</summary>
    public string ToHtml() =>
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        + "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">"
        + $"<title>{E(_title)}</title><style>{Css}</style></head><body>\n{_body}<footer>Written by Converge {E(BinaryClassifier.Version)}. Self-contained: no scripts, no network.</footer>\n</body></html>\n";

    private void Open(string heading) => _body.Append("<section><h2>").Append(E(heading)).Append("</h2>\n");

    private HtmlReport Close()
    {
        _body.Append("</section>\n");
        return this;
    }

    private void Chart(string name, string svg) =>
        _body.Append("<figure class=\"chart\" data-chart=\"").Append(name).Append("\">").Append(svg).Append("</figure>");

    private void Tile(string name, double value) =>
        _body.Append("<div class=\"tile\"><div class=\"v\">").Append(Num(value)).Append("</div><div class=\"k\">").Append(E(name)).Append("</div></div>");

    private void Term(string name, string text) => _body.Append("<dt>").Append(E(name)).Append("</dt><dd>").Append(E(text)).Append("</dd>");

    private void ConfusionRow(string actual, int negative, int positive, int rows, bool negativeIsCorrect)
    {
        _body.Append("<tr><th>").Append(E(actual)).Append("</th>");
        Cell(negative, rows, negativeIsCorrect);
        Cell(positive, rows, !negativeIsCorrect);
        _body.Append("</tr>");
    }

    private void Cell(int count, int rows, bool correct) =>
        _body.Append("<td class=\"").Append(correct ? "ok" : "bad").Append("\">").Append(count.ToString(CultureInfo.InvariantCulture))
            .Append("<small>").Append(((double)count / rows).ToString("P1", CultureInfo.InvariantCulture)).Append("</small></td>");

    private static string Num(double v, string format = "0.000") => double.IsFinite(v) ? v.ToString(format, CultureInfo.InvariantCulture) : "n/a";

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private const string Css = """
        body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:#1b1f24;max-width:1180px;margin:0 auto;padding:24px;line-height:1.45;background:#fff}
        header{border-bottom:3px solid #1f77b4;margin-bottom:8px}h1{margin:0 0 4px;font-size:26px}.sub{margin:0 0 10px;color:#555;font-family:ui-monospace,Menlo,Consolas,monospace;font-size:13px;word-break:break-all}
        h2{font-size:19px;margin:26px 0 10px;padding-bottom:4px;border-bottom:1px solid #ddd}h3{font-size:15px;margin:0 0 6px}
        table{border-collapse:collapse;font-size:14px;margin:6px 0}th,td{padding:4px 10px;text-align:left;vertical-align:top}
        .facts th{color:#555;font-weight:600;white-space:nowrap}.grid th{background:#f3f5f7}.grid td,.grid th{border:1px solid #e1e4e8}.num{text-align:right;font-variant-numeric:tabular-nums}
        .tiles{display:flex;flex-wrap:wrap;gap:10px;margin:6px 0 10px}.tile{border:1px solid #e1e4e8;border-radius:6px;padding:8px 14px;min-width:110px}.tile .v{font-size:22px;font-weight:600;font-variant-numeric:tabular-nums}.tile .k{color:#555;font-size:13px}
        .confusion td,.confusion th{border:1px solid #d0d4d9;text-align:center;min-width:90px;padding:8px}.confusion caption{text-align:left;color:#555;font-size:13px;padding-bottom:4px}
        .confusion td{font-size:18px;font-weight:600}.confusion small{display:block;font-size:12px;font-weight:400;color:#555}.ok{background:#e6f4ea}.bad{background:#fdecea}
        .charts{display:flex;flex-wrap:wrap;gap:12px;align-items:flex-start}figure.chart{margin:0;border:1px solid #eee;border-radius:6px;padding:4px;background:#fff}figure.chart svg{display:block;max-width:100%;height:auto}
        .finding{border-left:4px solid #888;padding:6px 12px;margin:10px 0;background:#fafbfc}.finding.warning{border-color:#e69f00}.finding.error{border-color:#d62728}.finding.info{border-color:#1f77b4}
        .tag{text-transform:uppercase;font-size:11px;letter-spacing:.05em;background:#eee;border-radius:3px;padding:1px 5px;margin-right:4px}
        dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:0;font-size:14px}dt{color:#555;font-weight:600}dd{margin:0}
        .note,.notes{color:#444;font-size:13px}footer{margin-top:30px;color:#777;font-size:12px;border-top:1px solid #ddd;padding-top:8px}
        @media print{body{padding:0;max-width:none}section,figure.chart,.finding{break-inside:avoid}a{color:inherit}}
        """;
}
