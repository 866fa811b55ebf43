using System.Globalization;

namespace Converge.Diagnosis;

/// <summary>Everything the doctor found, most important first.</summary>
/// <param name="Findings">Ordered by severity (errors first), then by how fundamental the cause is (data before dynamics).</param>
/// <param name="Summary">One line: counts by severity and the top finding.</param>
public sealed record DiagnosisReport(IReadOnlyList<Finding> Findings, string Summary)
{
    /// <summary>The remedy search (every candidate tried and the best, with its outcome), or null when none ran.</summary>
    public RemedySearchResult? Search { get; init; }

    /// <summary>True when a finding is a warning or an error.</summary>
    public bool HasProblems => Findings.Any(static f => f.Severity >= Severity.Warning);

    /// <summary>The finding with <paramref name="code"/>, or null.</summary>
    public Finding? Find(string code) => Findings.FirstOrDefault(f => string.Equals(f.Code, code, StringComparison.Ordinal));

    /// <summary>Orders the findings (dropping repeats of a code, keeping the more severe) and writes the summary.</summary>
    public static DiagnosisReport From(IEnumerable<Finding> findings)
    {
        ArgumentNullException.ThrowIfNull(findings);
        var ordered = findings
            .GroupBy(static f => f.Code, StringComparer.Ordinal)
            .Select(static g => g.OrderByDescending(static f => f.Severity).First())
            .OrderByDescending(static f => f.Severity)
            .ThenBy(static f => FindingCodes.Rank(f.Code))
            .ToList();
        int Count(Severity s) => ordered.Count(f => f.Severity == s);
        var counts = string.Join(", ", new[] { (Count(Severity.Error), "error"), (Count(Severity.Warning), "warning"), (Count(Severity.Info), "info") }
            .Where(static c => c.Item1 > 0)
            .Select(static c => string.Create(CultureInfo.InvariantCulture, $"{c.Item1} {c.Item2}{(c.Item1 > 1 && c.Item2 != "info" ? "s" : "")}")));
        var top = ordered.FirstOrDefault(static f => f.Severity >= Severity.Warning);
        var summary = top is null
            ? (ordered.Count == 0 ? "No problems found." : $"No problems found ({counts}).")
            : $"{counts}. Most important: {top.Code}: {top.Message}";
        return new DiagnosisReport(ordered, summary);
    }
}
