using System.Buffers.Binary;

namespace Converge.Cli.Tests;

public sealed class DemoCommandTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "converge-demo-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
        if (File.Exists(_folder)) File.Delete(_folder);
    }

    [Fact]
    public void Quick_demo_writes_three_valid_PNGs_and_prints_the_table_and_their_paths()
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        var code = ConvergeApp.Run(["demo", "--quick", "--out", _folder], output, error, interactive: false);

        Assert.True(code == ExitCodes.Ok, error.ToString());
        var text = output.ToString();
        foreach (var name in new[] { "loss-curves.png", "circles-boundary.png", "heart-rate.png" })
        {
            var path = Path.Combine(_folder, name);
            Assert.Contains(path, text, StringComparison.Ordinal);
            var (width, height) = PngSize(File.ReadAllBytes(path));
            Assert.True(width > 0 && height > 0, $"{name}: {width}×{height}");
        }
        Assert.Contains("heart rate, BatchNorm1d", text, StringComparison.Ordinal);
        Assert.Contains("Verdict", text, StringComparison.Ordinal);
        Assert.Contains("[6/6]", text, StringComparison.Ordinal);
    }

    [Fact]
    public void An_out_path_that_is_a_file_fails_with_one_line_and_exit_code_2()
    {
        File.WriteAllText(_folder, "not a folder");
        var (output, error) = (new StringWriter(), new StringWriter());
        var code = ConvergeApp.Run(["demo", "--quick", "--out", _folder], output, error, interactive: false);

        Assert.Equal(ExitCodes.UsageOrInput, code);
        var lines = error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("error: ", lines[0], StringComparison.Ordinal);
        Assert.Contains(_folder, lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("[1/6]", output.ToString(), StringComparison.Ordinal);   // failed before training
    }

    // A PNG starts with its 8-byte signature, then the IHDR chunk: length 13, "IHDR", width, height (big-endian).
    private static (int Width, int Height) PngSize(byte[] png)
    {
        byte[] signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
        Assert.True(png.Length > 33, $"a PNG has at least 33 bytes, got {png.Length}");
        Assert.Equal(signature, png[..8]);
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(png, 12, 4));
        return (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
    }
}
