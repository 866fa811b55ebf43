using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using SkiaSharp;
using Xunit.Abstractions;

namespace Converge.Cli.Tests;

/// <summary>
/// Opens a train --report page in headless Chromium (Debian's chromium; .ci/run installs it) with name
/// resolution disabled: it loads without console messages or any http(s)/ws request (from Chromium's own
/// net log), and every chart's box in the screenshot holds a drawing. Skipped, with a notice, without Chromium.
/// </summary>
public sealed partial class ReportBrowserTests(ITestOutputHelper output)
{
    private static readonly string[] Flags =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--host-resolver-rules=MAP * ~NOTFOUND", "--hide-scrollbars",
        "--enable-logging=stderr", "--v=0",
    ];

    [Fact]
    public void Train_report_renders_offline_with_every_chart_drawn()
    {
        var chromium = FindChromium();
        if (chromium is null)
        {
            output.WriteLine("notice: chromium not found (set CHROMIUM or install Debian's chromium); the browser check is skipped.");
            Console.WriteLine("notice: chromium not found; ReportBrowserTests skipped.");
            return;
        }
        using var dir = new TempDirectory();
        var page = dir.File("run.html");
        var (code, _, error) = Cli.Run("train", Cli.TestData("tumors.csv"), "-l", "diagnosis", "--epochs", "30", "--out", dir.File("m.safetensors"),
            "--no-plot", "-q", "--report", page);
        Assert.True(code == 0, error);
        var html = File.ReadAllText(page);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch(ExternalReference(), html);
        string[] charts = ["loss", "roc", "precision-recall", "calibration", "probabilities", "threshold", "importance"];
        foreach (var c in charts) Assert.Contains($"data-chart=\"{c}\"", html, StringComparison.Ordinal);

        // Run 1: the page as written, with a net log; it has no script, so any console line is an error.
        var netLog = dir.File("net.json");
        var (_, dom, log) = Chromium(chromium, dir, ["--dump-dom", $"--log-net-log={netLog}"], page);
        Assert.Contains("data-chart=\"roc\"", dom, StringComparison.Ordinal);
        Assert.DoesNotContain(":CONSOLE(", log, StringComparison.Ordinal);
        // Chromium's own service pings (clock, updater, accounts) are not the page's; everything else is.
        var requests = NetLogUrl().Matches(File.ReadAllText(netLog)).Select(static m => m.Groups[1].Value)
            .Where(static u => !BrowserService().IsMatch(u)).ToArray();
        Assert.True(requests.Length == 0, "external requests: " + string.Join(", ", requests));

        // Run 2: a probe copy that writes each chart's box into the DOM; run 3: the screenshot.
        var probe = dir.File("probe.html");
        File.WriteAllText(probe, html.Replace("</body>", ProbeScript, StringComparison.Ordinal)
            .Replace("default-src 'none';", "default-src 'none'; script-src 'unsafe-inline';", StringComparison.Ordinal));
        var (_, probed, _) = Chromium(chromium, dir, ["--dump-dom", "--window-size=1280,900"], probe);
        var json = Regex.Match(probed, "<pre id=\"probe\">(.*?)</pre>", RegexOptions.Singleline).Groups[1].Value;
        using var boxes = JsonDocument.Parse(System.Net.WebUtility.HtmlDecode(json));
        var height = boxes.RootElement.GetProperty("height").GetInt32();
        var shot = dir.File("shot.png");
        Chromium(chromium, dir, [$"--screenshot={shot}", $"--window-size=1280,{height}"], page);
        using var bitmap = SKBitmap.Decode(shot);
        Assert.NotNull(bitmap);
        var seen = new List<string>();
        foreach (var box in boxes.RootElement.GetProperty("charts").EnumerateArray())
        {
            var name = box.GetProperty("name").GetString()!;
            seen.Add(name);
            int x = box.GetProperty("x").GetInt32(), y = box.GetProperty("y").GetInt32(), w = box.GetProperty("w").GetInt32(), h = box.GetProperty("h").GetInt32();
            Assert.True(w > 200 && h > 150, $"{name}: box {w}×{h}");
            Assert.True(InkFraction(bitmap, x, y, w, h) > 0.02, $"{name} looks blank in the screenshot");
        }
        Assert.Equal(charts.Order(), seen.Order());
    }

    private const string ProbeScript = """
        <script>
        addEventListener('load', () => {
          const charts = [...document.querySelectorAll('figure.chart')].map(f => { const r = f.getBoundingClientRect();
            return { name: f.dataset.chart, x: Math.round(r.left + scrollX), y: Math.round(r.top + scrollY), w: Math.round(r.width), h: Math.round(r.height) }; });
          const pre = document.createElement('pre'); pre.id = 'probe';
          pre.textContent = JSON.stringify({ height: Math.ceil(document.documentElement.scrollHeight), charts });
          document.body.appendChild(pre);
        });
        </script></body>
        """;

    /// <summary>The fraction of pixels in the box that are clearly not white.</summary>
    private static double InkFraction(SKBitmap bitmap, int x, int y, int w, int h)
    {
        long ink = 0, all = 0;
        for (var j = y; j < Math.Min(y + h, bitmap.Height); j += 2)
            for (var i = x; i < Math.Min(x + w, bitmap.Width); i += 2)
            {
                var c = bitmap.GetPixel(i, j);
                all++;
                if (c.Red + c.Green + c.Blue < 600) ink++;
            }
        return all == 0 ? 0 : (double)ink / all;
    }

    private static (int Code, string Out, string Err) Chromium(string chromium, TempDirectory dir, string[] extra, string page)
    {
        var start = new ProcessStartInfo(chromium) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var f in Flags) start.ArgumentList.Add(f);
        start.ArgumentList.Add($"--user-data-dir={Path.Combine(dir.Path, "profile-" + Guid.NewGuid().ToString("N"))}");
        foreach (var f in extra) start.ArgumentList.Add(f);
        start.ArgumentList.Add(new Uri(page).AbsoluteUri);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("chromium did not finish in 60 s");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    private static string? FindChromium()
    {
        var configured = Environment.GetEnvironmentVariable("CHROMIUM");
        if (!string.IsNullOrEmpty(configured) && File.Exists(configured)) return configured;
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
            foreach (var name in new[] { "chromium", "chromium-browser" })
            {
                var candidate = Path.Combine(dir, name);
                if (File.Exists(candidate)) return candidate;
            }
        return null;
    }

    [GeneratedRegex("""(?:src|href)\s*=\s*["']?\s*(?:https?:|//)|url\(\s*["']?\s*(?:https?:|//)|@import""", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalReference();

    [GeneratedRegex(@"^https?://(clients\d*\.google\.com/time/|update\.googleapis\.com/service/|accounts\.google\.com/ListAccounts)")]
    private static partial Regex BrowserService();

    [GeneratedRegex("\"url\"\\s*:\\s*\"((?:https?|wss?)://[^\"]*)\"")]
    private static partial Regex NetLogUrl();
}
