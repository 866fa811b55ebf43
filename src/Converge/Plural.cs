using System.Globalization;

namespace Converge;

/// <summary>Counted nouns for messages: "1 value", "2 values" — never "1 values".</summary>
internal static class Plural
{
    /// <summary>"<paramref name="count"/> <paramref name="singular"/>" or, unless the count is 1, "count plural" (default: singular + "s").</summary>
    public static string Of(long count, string singular, string? plural = null) =>
        string.Create(CultureInfo.InvariantCulture, $"{count} {(count == 1 ? singular : plural ?? singular + "s")}");
}
