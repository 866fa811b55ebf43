namespace Converge.Cli.Tests;

/// <summary>The training doctor's findings at the end of <c>converge train</c>.</summary>
public class TrainDiagnosisTests
{
    [Fact]
    public void The_questions_raw_run_is_diagnosed_as_unscaled_input_in_the_json_report()
    {
        var directory = Directory.CreateTempSubdirectory("converge-train-diag-");
        try
        {
            var result = Cli.Run("train", Cli.TestData("heart-rate.csv"), "--label", "high", "--ignore", "time_s",
                "--normalize", "none", "--hidden", "4", "--activation", "sigmoid", "--loss", "bce", "--batch-size", "0",
                "--lr", "0.001", "--epochs", "100", "--json", "--no-plot", "--out", Path.Combine(directory.FullName, "m.safetensors"));
            Assert.Equal(ExitCodes.Ok, result.Code);
            var report = Cli.ParseSingleObject(result.Out);
            var findings = report.GetProperty("diagnosis").GetProperty("findings").EnumerateArray().ToList();
            var top = findings[0];
            Assert.Equal("unscaled-input", top.GetProperty("code").GetString());
            Assert.Equal("warning", top.GetProperty("severity").GetString());
            Assert.Contains("--normalize standard", top.GetProperty("remedy").GetString(), StringComparison.Ordinal);
            var confirmation = top.GetProperty("confirmation");
            Assert.True(confirmation.GetProperty("remedied").GetDouble() < confirmation.GetProperty("baseline").GetDouble());
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_healthy_run_gets_no_warnings()
    {
        var directory = Directory.CreateTempSubdirectory("converge-train-diag-");
        try
        {
            var result = Cli.Run("train", Cli.TestData("heart-rate.csv"), "--label", "high", "--ignore", "time_s",
                "--epochs", "60", "--no-plot", "--out", Path.Combine(directory.FullName, "m.safetensors"));
            Assert.Equal(ExitCodes.Ok, result.Code);
            Assert.Contains("Diagnosis: no problems found", result.Out, StringComparison.Ordinal);
            Assert.DoesNotContain("Warnings", result.Out, StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
