using System.Globalization;

namespace Converge.Diagnosis;

/// <summary>
/// The stable finding codes, listed from the most fundamental cause to the mildest symptom; that
/// order breaks ties between findings of equal severity. docs/diagnosis.md documents each one.
/// </summary>
public static class FindingCodes
{
    public const string NonFiniteValues = "non-finite-values";
    public const string SingleClass = "single-class";
    public const string Diverged = "diverged";
    public const string UnscaledInput = "unscaled-input";
    public const string MixedScales = "mixed-scales";
    public const string DeadRelus = "dead-relus";
    public const string SaturatedUnits = "saturated-units";
    public const string PossibleLeakage = "possible-leakage";
    public const string ClassImbalance = "class-imbalance";
    public const string ConstantFeature = "constant-feature";
    public const string BadInitialLoss = "bad-initial-loss";
    public const string Oscillation = "oscillation";
    public const string ExplodingGradients = "exploding-gradients";
    public const string VanishingGradients = "vanishing-gradients";
    public const string BiasOutpacesWeights = "bias-outpaces-weights";
    public const string StuckAtBaseRate = "stuck-at-base-rate";
    public const string SlowConvergence = "slow-convergence";
    public const string DyingRelus = "dying-relus";
    public const string GrowingSaturation = "growing-saturation";
    public const string Overfitting = "overfitting";
    public const string TooFewRows = "too-few-rows";
    public const string DuplicateRows = "duplicate-rows";
    public const string NearConstantFeature = "near-constant-feature";
    public const string SeparableByOneFeature = "separable-by-one-feature";

    private static readonly string[] Order =
    [
        NonFiniteValues, SingleClass, Diverged, UnscaledInput, MixedScales, DeadRelus, SaturatedUnits, PossibleLeakage,
        ClassImbalance, ConstantFeature, BadInitialLoss, Oscillation, ExplodingGradients, VanishingGradients, BiasOutpacesWeights,
        StuckAtBaseRate, SlowConvergence, DyingRelus, GrowingSaturation, Overfitting, TooFewRows, DuplicateRows,
        NearConstantFeature, SeparableByOneFeature,
    ];

    /// <summary>Every code, most fundamental first.</summary>
    public static IReadOnlyList<string> All => Order;

    /// <summary>Position of <paramref name="code"/> in the cause order; unknown codes come last.</summary>
    public static int Rank(string code)
    {
        var i = Array.IndexOf(Order, code);
        return i < 0 ? Order.Length : i;
    }

    /// <summary>A number in 3 significant digits, invariant culture (for evidence and remedies).</summary>
    internal static string G(double value) => value.ToString("G3", CultureInfo.InvariantCulture);

    /// <summary>A fraction as a percentage with one decimal.</summary>
    internal static string Pct(double fraction) => (100 * fraction).ToString("0.#", CultureInfo.InvariantCulture) + " %";

    /// <summary>Loss of always predicting the positive-class rate <paramref name="positiveRate"/>, under a positive-class weight.</summary>
    public static double BaseRateLoss(double positiveRate, double posWeight = 1)
    {
        var (wp, q) = (posWeight * positiveRate, 1 - positiveRate);
        if (wp <= 0 || q <= 0) return 0;
        var p = wp / (wp + q);   // the constant prediction that minimizes the (weighted) cross-entropy
        return -(wp * Math.Log(p) + q * Math.Log(1 - p));
    }
}
