namespace Converge.Data;

/// <summary>Something the data stage decided on the user's behalf, to be shown to them.</summary>
/// <param name="Column">The column concerned, if one.</param>
/// <param name="Message">One human-readable line, e.g. "imputed 12 missing values in 'age' with median 41.5".</param>
public sealed record DataNotice(string? Column, string Message)
{
    /// <summary>The message.</summary>
    public override string ToString() => Message;
}
