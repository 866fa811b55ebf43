using Converge.Cli.Demo;
using Converge.Diagnosis;

namespace Converge.Cli.Tests.Demo;

public class DemoDiagnosisTests
{
    [Fact]
    public void Scenario_two_is_diagnosed_as_unscaled_input_and_standardizing_is_confirmed()
    {
        var diagnosis = DemoDiagnosis.RawHeartRate(new DemoOptions { EpochDivisor = 5 });
        var top = diagnosis.Findings[0];
        Assert.Equal(FindingCodes.UnscaledInput, top.Code);
        Assert.Equal(Severity.Warning, top.Severity);
        Assert.NotNull(top.Confirmation);
        Assert.True(top.Confirmation!.Improved, DiagnosisText(diagnosis));
        Assert.True(top.Confirmation.Remedied < top.Confirmation.Baseline);
    }

    private static string DiagnosisText(DiagnosisReport d) => string.Join("\n", d.Findings.Select(f => $"{f.Code}: {f.Message} {f.Confirmation}"));
}
