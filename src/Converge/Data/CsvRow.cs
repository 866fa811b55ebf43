namespace Converge.Data;

/// <summary>One data row of a CSV file.</summary>
/// <param name="LineNumber">1-based physical line the row starts on (a header is line 1).</param>
/// <param name="Cells">The trimmed, unquoted cells in file column order; null means missing.</param>
public readonly record struct CsvRow(int LineNumber, IReadOnlyList<string?> Cells);
