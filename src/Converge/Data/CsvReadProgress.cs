namespace Converge.Data;

/// <summary>How far reading a CSV file has got.</summary>
/// <param name="Rows">Data rows read so far.</param>
/// <param name="Bytes">Bytes of the file read so far (0 when the text came from a <see cref="TextReader"/>).</param>
/// <param name="TotalBytes">The file's size, when known (a file, not a pipe).</param>
public readonly record struct CsvReadProgress(long Rows, long Bytes, long? TotalBytes);
