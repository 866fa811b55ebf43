using System.Globalization;

namespace Converge.Tests.Fuzz;

/// <summary>
/// How many generated cases each fuzz property runs: a CI-sized default, or
/// <c>CONVERGE_FUZZ_SCALE</c> times it for a longer campaign (see docs/reliability.md and bench/fuzz.sh),
/// with <c>CONVERGE_FUZZ_SEED</c> to replay or vary the generated cases.
/// </summary>
internal static class FuzzBudget
{
    public static int Cases(int ciDefault) =>
        int.TryParse(Environment.GetEnvironmentVariable("CONVERGE_FUZZ_SCALE"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var scale) && scale > 0
            ? ciDefault * scale
            : ciDefault;

    public static int Seed(int salt) =>
        (int.TryParse(Environment.GetEnvironmentVariable("CONVERGE_FUZZ_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed) ? seed : 13) * 7919 + salt;
}
