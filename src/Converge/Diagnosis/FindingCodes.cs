using System.Globalization;

namespace Converge.Diagnosis;

/// <summary>
/// The stable finding codes, listed from the most fundamental cause to the mildest symptom; that
/// order breaks ties between findings of equal severity. docs/diagnosis.md documents each one.
/// </summary>
public static class FindingCodes
{
    /// <summary>A feature holds NaN or infinite values.</summary>
    public const string NonFiniteValues = "non-finite-values";
    /// <summary>The training labels hold only one class.</summary>
    public const string SingleClass = "single-class";
    /// <summary>The loss became NaN or infinite during training.</summary>
    public const string Diverged = "diverged";
    /// <summary>Input features reach the network unscaled.</summary>
    public const string UnscaledInput = "unscaled-input";
    /// <summary>Input features have very different scales.</summary>
    public const string MixedScales = "mixed-scales";
    /// <summary>ReLU units output 0 on every row before training.</summary>
    public const string DeadRelus = "dead-relus";
    /// <summary>Sigmoid or tanh units are saturated before training.</summary>
    public const string SaturatedUnits = "saturated-units";
    /// <summary>One feature predicts the label almost perfectly (a possible leak).</summary>
    public const string PossibleLeakage = "possible-leakage";
    /// <summary>One class is rare.</summary>
    public const string ClassImbalance = "class-imbalance";
    /// <summary>A feature has the same value on every row.</summary>
    public const string ConstantFeature = "constant-feature";
    /// <summary>The untrained network's loss is far above the base-rate loss.</summary>
    public const string BadInitialLoss = "bad-initial-loss";
    /// <summary>The loss goes up and down instead of falling.</summary>
    public const string Oscillation = "oscillation";
    /// <summary>Gradient norms grow very large.</summary>
    public const string ExplodingGradients = "exploding-gradients";
    /// <summary>The first layer's gradients are tiny next to the last layer's.</summary>
    public const string VanishingGradients = "vanishing-gradients";
    /// <summary>The first layer's bias moves much faster than its weights.</summary>
    public const string BiasOutpacesWeights = "bias-outpaces-weights";
    /// <summary>The model predicts little more than the class frequency.</summary>
    public const string StuckAtBaseRate = "stuck-at-base-rate";
    /// <summary>The loss is still falling steadily when training ends.</summary>
    public const string SlowConvergence = "slow-convergence";
    /// <summary>ReLU units die during training.</summary>
    public const string DyingRelus = "dying-relus";
    /// <summary>Bounded units saturate more and more during training.</summary>
    public const string GrowingSaturation = "growing-saturation";
    /// <summary>The validation loss rises while the training loss falls.</summary>
    public const string Overfitting = "overfitting";
    /// <summary>Many parameters for few training rows.</summary>
    public const string TooFewRows = "too-few-rows";
    /// <summary>Rows repeat, some with the other label.</summary>
    public const string DuplicateRows = "duplicate-rows";
    /// <summary>A feature is almost constant.</summary>
    public const string NearConstantFeature = "near-constant-feature";
    /// <summary>A single feature separates the classes perfectly.</summary>
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
