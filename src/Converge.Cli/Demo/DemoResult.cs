namespace Converge.Cli.Demo;

/// <summary>Everything the demo ran, in scenario order.</summary>
/// <param name="Seed">Seed of the initial weights (the same for every scenario).</param>
/// <param name="EpochDivisor">1 for the full run; 10 for --quick.</param>
/// <param name="Scenarios">One result per scenario run.</param>
/// <param name="Elapsed">Wall time of all training loops together.</param>
public sealed record DemoResult(ulong Seed, int EpochDivisor, IReadOnlyList<ScenarioResult> Scenarios, TimeSpan Elapsed)
{
    /// <summary>The result of scenario <paramref name="number"/>, or null when it was not run.</summary>
    public ScenarioResult? Find(int number) => Scenarios.FirstOrDefault(s => s.Scenario.Number == number);

    /// <summary>
    /// The failing run (scenario 2: raw heart rate, lr 0.001) with its model, data and history, for a
    /// training diagnosis to examine; null when it was not run.
    /// </summary>
    public ScenarioResult? RawHeartRate => Find(DemoScenarios.HeartRateRaw.Number);

    /// <summary>What the numbers show, in words; see <see cref="DemoVerdict"/>.</summary>
    public IReadOnlyList<string> Verdict() => DemoVerdict.Describe(this);
}
