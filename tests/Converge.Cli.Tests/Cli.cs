using System.Text.Json;

namespace Converge.Cli.Tests;

/// <summary>Runs the CLI in-process, non-interactive, and captures both streams.</summary>
internal static class Cli
{
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = ConvergeApp.Run(args, output, error, interactive: false);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>Runs with <paramref name="input"/> as standard input (read for a data argument of <c>-</c>).</summary>
    public static (int Code, string Out, string Err) RunWithInput(byte[] input, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = ConvergeApp.Run(args, output, error, interactive: false, input: () => new MemoryStream(input, writable: false));
        return (code, output.ToString(), error.ToString());
    }

    public static string TestData(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", name);

    /// <summary>Asserts the user-mistake contract: exit code 2 and one "error: " line on stderr, no stack trace.</summary>
    public static string AssertUserError((int Code, string Out, string Err) result, params string[] mentions)
    {
        Assert.True(result.Code == ExitCodes.UsageOrInput, $"exit code {result.Code}; stderr: {result.Err}");
        var lines = result.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(lines.Length == 1, $"expected one line on stderr, got:\n{result.Err}");
        Assert.StartsWith("error: ", lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Err, StringComparison.Ordinal);
        foreach (var mention in mentions) Assert.Contains(mention, lines[0], StringComparison.Ordinal);
        return lines[0];
    }

    public static JsonElement ParseSingleObject(string text)
    {
        // JsonDocument.Parse rejects trailing content, so this also proves stdout holds exactly one value.
        using var document = JsonDocument.Parse(text);
        Assert.Equal(JsonValueKind.Object, document.RootElement.ValueKind);
        return document.RootElement.Clone();
    }

    /// <summary>Reads a CSV written by predict (RFC 4180 quoting) into rows of fields.</summary>
    public static List<string[]> ReadCsv(string text)
    {
        var rows = new List<string[]>();
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(field.ToString()); field.Clear(); }
            else if (c == '\n')
            {
                fields.Add(field.ToString().TrimEnd('\r'));
                field.Clear();
                rows.Add([.. fields]);
                fields.Clear();
            }
            else field.Append(c);
        }
        return rows;
    }
}

/// <summary>A fresh temporary directory, deleted afterwards.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"converge-cli-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public string Write(string name, string content)
    {
        var path = File(name);
        System.IO.File.WriteAllText(path, content);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp directory is not a test failure.
        }
    }
}
