using System.Text;

namespace Converge.Tests.Data;

/// <summary>Writes small CSV files to a private temp folder that is deleted with the instance.</summary>
internal sealed class TempCsv : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "converge-tests-" + Guid.NewGuid().ToString("N"));

    public TempCsv() => Directory.CreateDirectory(_folder);

    /// <summary>Writes text (LF line endings unless <paramref name="crlf"/>), optionally with a UTF-8 BOM.</summary>
    public string Write(string name, string text, bool crlf = false, bool bom = false)
    {
        var path = Path.Combine(_folder, name);
        if (crlf) text = text.Replace("\n", "\r\n", StringComparison.Ordinal);
        File.WriteAllText(path, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: bom));
        return path;
    }

    public string WriteBytes(string name, byte[] bytes)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public string PathOf(string name) => Path.Combine(_folder, name);

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
