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
            var result = Cli.Run("train", Cli.TestData("heart-rate.csv"), "--label", "high", "--ignore", "time_s", "--preset", "fast",
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
            // 100 epochs at lr 0.001 on raw bpm learn nothing: the report says so, with the doctor's finding.
            var baseRate = report.GetProperty("base_rate");
            Assert.True(baseRate.GetProperty("no_better").GetBoolean(), baseRate.ToString());
            Assert.True(baseRate.GetProperty("log_loss").GetDouble() >= 0.95 * baseRate.GetProperty("base_rate_loss").GetDouble());
            Assert.Equal("unscaled-input", baseRate.GetProperty("finding").GetString());
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_run_no_better_than_the_base_rate_says_so_before_its_metrics()
    {
        var directory = Directory.CreateTempSubdirectory("converge-train-diag-");
        try
        {
            var result = Cli.Run("train", Cli.TestData("heart-rate.csv"), "--label", "high", "--ignore", "time_s", "--preset", "fast",
                "--normalize", "none", "--hidden", "4", "--activation", "sigmoid", "--loss", "bce", "--batch-size", "0",
                "--lr", "0.001", "--epochs", "60", "--val-split", "0", "--no-plot", "-q", "--out", Path.Combine(directory.FullName, "m.safetensors"));
            Assert.Equal(ExitCodes.Ok, result.Code);
            var heading = result.Out.IndexOf("No better than the base rate", StringComparison.Ordinal);
            Assert.True(heading >= 0 && heading < result.Out.IndexOf("Training", StringComparison.Ordinal), result.Out);
            Assert.Contains("The doctor: unscaled-input", result.Out, StringComparison.Ordinal);
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
            var result = Cli.Run("train", Cli.TestData("heart-rate.csv"), "--label", "high", "--ignore", "time_s", "--preset", "fast",
                "--epochs", "60", "--no-plot", "--out", Path.Combine(directory.FullName, "m.safetensors"));
            Assert.Equal(ExitCodes.Ok, result.Code);
            Assert.Contains("Diagnosis: no problems found", result.Out, StringComparison.Ordinal);
            Assert.DoesNotContain("No better than the base rate", result.Out, StringComparison.Ordinal);
            Assert.DoesNotContain("Warnings", result.Out, StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
