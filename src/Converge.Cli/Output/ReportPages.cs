using System.Globalization;
using Converge.Data;
using Converge.Diagnosis;
using Converge.Evaluation;
using Converge.Training;

namespace Converge.Cli.Output;

/// <summary>The HTML pages of <c>train --report</c>, <c>evaluate --report</c> and <c>diagnose --report</c>.</summary>
public static class ReportPages
{
    /// <summary>Permutations per column in reports and JSON.</summary>
    public const int ImportanceRepeats = 5;

    /// <summary>Throws a <see cref="UserError"/> when <paramref name="output"/> is one of <paramref name="inputs"/> (or another output).</summary>
    public static void CheckNotAnInput(string option, string output, params string?[] inputs)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(inputs);
        var full = Path.GetFullPath(output);
        foreach (var input in inputs)
            if (input is not null && string.Equals(Path.GetFullPath(input), full, StringComparison.Ordinal))
                throw new UserError($"{option}: '{output}' is also '{input}', which this command reads or writes; give another path.");
    }

    /// <summary>The permutation importance of a saved model on labelled rows (evaluate), most important first; null without both classes.</summary>
    public static IReadOnlyList<FeatureImportance>? Importance(BinaryClassifier model, TrainingData rows)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Rows < 2 || !rows.Labels.Contains(1f) || !rows.Labels.Contains(0f)) return null;
        return [.. model.PermutationImportance(rows, new PermutationImportanceOptions { Repeats = ImportanceRepeats, Threshold = model.Threshold })
            .OrderByDescending(static f => f.Mean)];
    }

    /// <summary>The permutation importance of a fit on rows no scorer trained on (see <see cref="ClassifierFit.ValidationImportance"/>).</summary>
    public static IReadOnlyList<FeatureImportance>? Importance(ClassifierFit fit)
    {
        ArgumentNullException.ThrowIfNull(fit);
        return fit.ValidationImportance(new PermutationImportanceOptions { Repeats = ImportanceRepeats, Threshold = fit.Classifier.Threshold })?
            .OrderByDescending(static f => f.Mean).ToList();
    }

    /// <summary>The command as typed, for the page's subtitle.</summary>
    public static string CommandLine(System.CommandLine.ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return "converge " + string.Join(" ", parse.Tokens.Select(static t => t.Value.Contains(' ', StringComparison.Ordinal) ? $"\"{t.Value}\"" : t.Value));
    }

    // What the report's probabilities are: the network's own, or recalibrated (and how that was decided).
    private static string CalibrationNote(BinaryClassifier model, bool crossValidated)
    {
        var decision = model.Training.CalibrationDecision;
        if (model.Calibration is null)
            return "Probabilities are the network's own, not recalibrated" + (decision is null ? "." : $" (calibration: {decision}).");
        return $"Probabilities are recalibrated after the network by {(model.Calibration.Method == Training.CalibrationMethod.Platt ? "Platt scaling" : "isotonic regression")}"
            + (crossValidated ? ", here cross-validated so no row is scored by a calibration fitted on it" : "")
            + (decision is null ? "." : $" (calibration: {decision}).");
    }

    /// <summary>The page of a training run.</summary>
    public static HtmlReport Train(ClassifierFit fit, CsvTable table, string commandLine, DiagnosisReport? diagnosis, IReadOnlyList<FeatureImportance>? importance)
    {
        ArgumentNullException.ThrowIfNull(fit);
        ArgumentNullException.ThrowIfNull(table);
        var run = fit.Run;
        var model = fit.Classifier;
        var page = new HtmlReport($"Converge: {Path.GetFileName(table.SourceName)} → {model.Label.Column}", commandLine);
        page.Facts("Data", DataFacts(fit, table));
        page.Preprocessing(model.Preprocessing, fit.Notices);
        var validationLoss = fit.Validation is null ? [] : run.History.Select(static h => h.ValidationLoss).ToArray();
        var stop = run.StopReason switch
        {
            StopReason.EarlyStopped => "stopped early: the validation loss stopped improving",
            StopReason.Diverged => $"diverged: {run.Divergence}",
            _ => "all epochs completed",
        };
        var members = fit.MemberRuns?.Select(static r => ((IReadOnlyList<double>)[.. r.History.Select(static h => h.TrainLoss)],
            (IReadOnlyList<double>)[.. r.History.Select(static h => h.ValidationLoss)], r.BestEpoch)).ToList();
        var trainingNote = members is null
            ? string.Create(CultureInfo.InvariantCulture, $"{run.History.Count} epochs, {stop}; the weights of the best epoch ({run.BestEpoch}) are kept. Network: {model.Architecture}. {ReportRenderer.Duration(run.Elapsed.TotalSeconds)}.")
            : string.Create(CultureInfo.InvariantCulture, $"{members.Count} cross-fitted networks ({model.Architecture}), each trained on all folds but one and early-stopped on that one; kept epochs {string.Join(", ", fit.MemberRuns!.Select(static r => r.BestEpoch))}. {ReportRenderer.Duration(fit.TrainingSeconds)} in all.");
        page.Training([.. run.History.Select(static h => h.TrainLoss)], validationLoss, run.BestEpoch, trainingNote, members);
        if (fit.ValidationProbabilities.Length > 0 && run.StopReason != StopReason.Diverged)
        {
            var rows = fit.ValidationProbabilities.Length;
            var name = fit.MemberRuns is null
                ? string.Create(CultureInfo.InvariantCulture, $"validation split ({rows} rows)")
                : string.Create(CultureInfo.InvariantCulture, $"out-of-fold predictions ({rows} rows, each scored by the member that did not train on it)");
            page.Evaluation(new ReportEvaluation(name, fit.ValidationProbabilities, fit.ValidationLabels, model.Threshold),
                model.Label, fit.BestF1Threshold, CalibrationNote(model, crossValidated: true));
        }
        if (importance is not null) page.Importance(importance, fit.ImportanceRows, ImportanceRepeats);
        if (diagnosis is not null) page.Diagnosis(diagnosis);
        return page.Reproduce(model.Training.Options);
    }

    /// <summary>The page of an evaluation of a saved model on labelled data.</summary>
    public static HtmlReport Evaluate(BinaryClassifier model, string modelPath, string dataPath, string commandLine, ReportEvaluation evaluation,
        IEnumerable<DataNotice> notices, IReadOnlyList<FeatureImportance>? importance)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(evaluation);
        var page = new HtmlReport($"Converge: {Path.GetFileName(modelPath)} on {Path.GetFileName(dataPath)}", commandLine);
        var t = model.Training;
        page.Facts("Model and data", [
            ("model", $"{modelPath} ({model.Architecture})"),
            ("trained", $"{t.CreatedUtc} with Converge {t.ConvergeVersion} on {t.TrainRows} rows ({t.ValidationRows} validation), {t.EpochsRun} epochs"),
            ("data", $"{dataPath}: {evaluation.Probabilities.Length} rows, {evaluation.Labels.Count(static y => y == 1)} positive"),
            ("label", $"{model.Label.Column}: {ReportRenderer.LabelMapping(model.Label)}"),
        ]);
        page.Preprocessing(model.Preprocessing, notices);
        if (t.TrainLoss.Length > 0) page.Training(t.TrainLoss, t.ValidationLoss, t.BestEpoch, "The loss per epoch recorded in the model file when it was trained.");
        page.Evaluation(evaluation, model.Label, null, CalibrationNote(model, crossValidated: false));
        if (importance is not null) page.Importance(importance, "evaluated rows", ImportanceRepeats);
        return page.Reproduce(t.Options);
    }

    /// <summary>The page of <c>diagnose</c>: the run as trained and the doctor's findings.</summary>
    public static HtmlReport Diagnose(ClassifierFit fit, CsvTable table, string commandLine, DiagnosisReport diagnosis) =>
        Train(fit, table, commandLine, diagnosis, Importance(fit));

    private static IEnumerable<(string, string)> DataFacts(ClassifierFit fit, CsvTable table)
    {
        var label = fit.Classifier.Label;
        var positives = fit.Train.Labels.Count(static y => y == 1) + (fit.Validation?.Labels.Count(static y => y == 1) ?? 0);
        yield return ("file", table.SourceName);
        yield return ("rows", fit.MemberRuns is { } members
            ? string.Create(CultureInfo.InvariantCulture, $"{table.RowCount}, all used: {members.Count} stratified folds, each member trained on {members.Count - 1} and early-stopped on the other")
            : string.Create(CultureInfo.InvariantCulture, $"{table.RowCount} → {fit.Train.Rows} train, {fit.Validation?.Rows ?? 0} validation (stratified split)"));
        yield return ("label", $"{label.Column}: {ReportRenderer.LabelMapping(label)}");
        yield return ("positives", string.Create(CultureInfo.InvariantCulture, $"{positives} of {fit.Train.Rows + (fit.Validation?.Rows ?? 0)} ({(double)positives / (fit.Train.Rows + (fit.Validation?.Rows ?? 0)):P1})"));
        yield return ("features", string.Create(CultureInfo.InvariantCulture,
            $"{fit.Classifier.FeatureNames.Count} encoded from {fit.Classifier.Preprocessing.Columns.Count(static c => c.Kind != ColumnKind.Dropped)} columns; standardization: {(fit.Classifier.Scaler is null ? "none" : "fitted on the training rows, saved in the model")}"));
    }
}
