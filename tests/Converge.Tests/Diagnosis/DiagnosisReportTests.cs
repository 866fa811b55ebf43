using Converge.Diagnosis;

namespace Converge.Tests.Diagnosis;

public class DiagnosisReportTests
{
    private static Finding F(Severity severity, string code) => new(severity, code, code, new Dictionary<string, double>(), "", "", "");

    [Fact]
    public void Findings_are_ordered_by_severity_then_cause_and_deduplicated()
    {
        var d = DiagnosisReport.From([
            F(Severity.Info, FindingCodes.DuplicateRows), F(Severity.Warning, FindingCodes.SlowConvergence), F(Severity.Warning, FindingCodes.UnscaledInput),
            F(Severity.Error, FindingCodes.Diverged), F(Severity.Info, FindingCodes.UnscaledInput)]);
        Assert.Equal([FindingCodes.Diverged, FindingCodes.UnscaledInput, FindingCodes.SlowConvergence, FindingCodes.DuplicateRows], d.Findings.Select(static f => f.Code));
        Assert.Equal(Severity.Warning, d.Find(FindingCodes.UnscaledInput)!.Severity);
        Assert.StartsWith("1 error, 2 warnings, 1 info. Most important: diverged", d.Summary, StringComparison.Ordinal);
        Assert.True(d.HasProblems);
    }

    [Fact]
    public void Every_code_is_documented()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "docs", "diagnosis.md"))) dir = dir.Parent;
        Assert.NotNull(dir);
        var doc = File.ReadAllText(Path.Combine(dir.FullName, "docs", "diagnosis.md"));
        foreach (var code in FindingCodes.All) Assert.Contains($"`{code}`", doc, StringComparison.Ordinal);
    }
}
