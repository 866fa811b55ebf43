namespace Converge.Data;

/// <summary>How the bytes of a CSV file are turned into text.</summary>
public enum CsvEncoding
{
    /// <summary>
    /// UTF-8 (a UTF-8 or UTF-16 byte-order mark is honoured). At the first byte sequence that is
    /// not valid UTF-8 the rest of the file is read as Windows-1252, the encoding of Excel's CSV
    /// exports in Western Europe and the Americas, and a notice says so.
    /// </summary>
    Auto,

    /// <summary>UTF-8 only: an invalid byte sequence is a <see cref="DataError"/> naming its line.</summary>
    Utf8,

    /// <summary>Windows-1252 (Latin-1 plus € and typographic quotes in 0x80–0x9F).</summary>
    Windows1252,

    /// <summary>ISO-8859-1: each byte is the Unicode character of the same number.</summary>
    Latin1,
}
