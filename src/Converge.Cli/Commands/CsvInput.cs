using System.CommandLine;
using Converge.Data;

namespace Converge.Cli.Commands;

/// <summary>
/// The CSV reading options every command that reads data shares (--no-header, --encoding,
/// --decimal-comma), and the one place a data argument of <c>-</c> means standard input.
/// </summary>
public sealed class CsvInput
{
    /// <summary>The data argument that reads standard input.</summary>
    public const string StandardInput = "-";

    /// <summary>How standard input is named in messages.</summary>
    public const string StandardInputName = "standard input";

    public Option<bool> NoHeader { get; } = new("--no-header") { Description = "The CSV has no header row; columns are named col1, col2, …" };
    public Option<string> Encoding { get; } = new("--encoding") { Description = "auto (UTF-8; Windows-1252 if the bytes are not UTF-8, with a notice), utf-8, windows-1252 or latin1.", DefaultValueFactory = _ => "auto" };
    public Option<bool> DecimalComma { get; } = new("--decimal-comma") { Description = "Numbers use a decimal comma (1234,56); the default detects it in ';'-separated files." };

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        foreach (var option in new Option[] { NoHeader, Encoding, DecimalComma }) command.Options.Add(option);
    }

    /// <summary>The options as given; a bad encoding name is a <see cref="UserError"/>.</summary>
    public CsvOptions Read(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var name = (parse.GetValue(Encoding) ?? "auto").Trim().ToLowerInvariant();
        var encoding = name switch
        {
            "auto" => CsvEncoding.Auto,
            "utf-8" or "utf8" => CsvEncoding.Utf8,
            "windows-1252" or "cp1252" => CsvEncoding.Windows1252,
            "latin1" or "latin-1" or "iso-8859-1" => CsvEncoding.Latin1,
            _ => throw new UserError($"--encoding: '{name}' is not one of auto, utf-8, windows-1252, latin1."),
        };
        return new CsvOptions
        {
            HasHeader = !parse.GetValue(NoHeader),
            Encoding = encoding,
            DecimalComma = parse.GetValue(DecimalComma) ? true : null,
        };
    }

    /// <summary>The name a data argument goes by in reports: the file name, or "standard input".</summary>
    public static string DisplayName(string path) => path == StandardInput ? StandardInputName : Path.GetFileName(path);

    /// <summary>Reads a whole table from a file, or from standard input for <c>-</c>; <paramref name="progress"/> hears how far it got.</summary>
    public static CsvTable ReadTable(CliContext context, string path, CsvOptions options, IProgress<CsvReadProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (path != StandardInput) return CsvTable.Read(path, options, progress);
        using var input = context.OpenInput();
        return CsvTable.Read(input, StandardInputName, options, progress);
    }

    /// <summary>The size of a data file in bytes, or null for standard input or a file that cannot be seen.</summary>
    public static long? SizeOf(string path) => path != StandardInput && File.Exists(path) ? new FileInfo(path).Length : null;

    /// <summary>Opens a file, or standard input for <c>-</c>, for row-by-row reading.</summary>
    public static CsvRowReader Open(CliContext context, string path, CsvOptions options)
    {
        ArgumentNullException.ThrowIfNull(context);
        return path == StandardInput ? CsvRowReader.Open(context.OpenInput(), StandardInputName, options) : CsvTable.Stream(path, options);
    }
}
