using System.Text.Json;
using Converge.Data;

namespace Converge.Cli.Tests;

public sealed class DiagnoseCommandTests : IDisposable
{
    private readonly string _heartRate = Path.Combine(Path.GetTempPath(), $"converge-diagnose-{Guid.NewGuid():N}.csv");

    public DiagnoseCommandTests() => File.WriteAllText(_heartRate, BuiltInData.HeartRateCsv());

    public void Dispose() => File.Delete(_heartRate);

    // The question's raw run: one sigmoid hidden layer of 4, BCELoss, Adam lr 0.001, no normalization.
    private string[] QuestionArgs(params string[] extra) =>
        ["diagnose", _heartRate, "--label", "label", "--preset", "fast", "--normalize", "none", "--hidden", "4", "--activation", "sigmoid", "--loss", "bce",
         "--lr", "0.001", "--epochs", "100", "--val-split", "0", "--patience", "0", "--search-seconds", "5", .. extra];

    private static (int Code, string Out, string Err) Run(string[] args, bool interactive = false)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = ConvergeApp.Run(args, output, error, interactive);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void Json_names_unscaled_input_first_with_a_confirmed_remedy()
    {
        var (code, output, error) = Run(QuestionArgs("--json"));
        Assert.True(code == 0, error);
        using var doc = JsonDocument.Parse(output);
        var top = doc.RootElement.GetProperty("findings")[0];
        Assert.Equal("unscaled-input", top.GetProperty("code").GetString());
        Assert.Equal("warning", top.GetProperty("severity").GetString());
        Assert.Contains("--normalize standard", top.GetProperty("remedy").GetString(), StringComparison.Ordinal);
        var confirmation = top.GetProperty("confirmation");
        Assert.True(confirmation.GetProperty("improved").GetBoolean());
        Assert.True(confirmation.GetProperty("remedied").GetDouble() < confirmation.GetProperty("baseline").GetDouble());
        Assert.Equal(100, confirmation.GetProperty("baseline_epochs").GetInt32());
        Assert.True(confirmation.GetProperty("epochs").GetInt32() <= 100);
        Assert.NotEqual("not_helped", confirmation.GetProperty("outcome").GetString());
        Assert.StartsWith("--normalize", confirmation.GetProperty("flags").GetString(), StringComparison.Ordinal);
        var search = doc.RootElement.GetProperty("remedy_search");
        Assert.True(search.GetProperty("trials").GetArrayLength() >= 2);
        Assert.Equal(confirmation.GetProperty("remedied").GetDouble(), search.GetProperty("best").GetProperty("remedied").GetDouble());
        Assert.True(doc.RootElement.GetProperty("problems").GetBoolean());
    }

    [Fact]
    public void Plain_output_groups_by_severity_without_escape_codes()
    {
        var (code, output, error) = Run(QuestionArgs());
        Assert.True(code == 0, error);
        Assert.DoesNotContain("\u001b[", output, StringComparison.Ordinal);
        var warnings = output.IndexOf("Warnings", StringComparison.Ordinal);
        var info = output.IndexOf("Info", StringComparison.Ordinal);
        Assert.True(warnings >= 0 && info > warnings, output);
        Assert.Contains("remedy:", output, StringComparison.Ordinal);
        Assert.Contains("tested:", output, StringComparison.Ordinal);
        Assert.Contains("Remedy search", output, StringComparison.Ordinal);
    }

    [Fact]
    public void The_standardized_run_has_no_warnings()
    {
        var (code, output, error) = Run(["diagnose", _heartRate, "--label", "label", "--preset", "fast", "--hidden", "4", "--activation", "sigmoid", "--loss", "bce",
            "--lr", "0.001", "--epochs", "100", "--val-split", "0", "--patience", "0", "--json"]);
        Assert.True(code == 0, error);
        using var doc = JsonDocument.Parse(output);
        Assert.False(doc.RootElement.GetProperty("problems").GetBoolean(), output);
    }

    [Fact]
    public void A_missing_file_is_a_user_error()
    {
        var (code, _, error) = Run(["diagnose", _heartRate + ".missing", "--label", "label"]);
        Assert.Equal(ExitCodes.UsageOrInput, code);
        Assert.StartsWith("error:", error, StringComparison.Ordinal);
    }
}
