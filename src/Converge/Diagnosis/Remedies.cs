using System.Globalization;
using Converge.Training;
using static Converge.Diagnosis.FindingCodes;

namespace Converge.Diagnosis;

/// <summary>One change of the training options, with the words, the CLI flag and the C# that express it.</summary>
/// <param name="Tried">The change in words.</param>
/// <param name="Flag">The change as CLI flags.</param>
/// <param name="Code">The change as a C# member initializer of TrainingOptions.</param>
/// <param name="Apply">The change applied to options.</param>
/// <param name="ChangesNetwork">True when the change alters the network itself (a layer, an activation, a width), not the data or the optimizer.</param>
internal sealed record Change(string Tried, string Flag, string Code, Func<TrainingOptions, TrainingOptions> Apply, bool ChangesNetwork = false);

/// <summary>A candidate remedy: one change or several applied together.</summary>
internal sealed record Candidate(IReadOnlyList<Change> Changes)
{
    public string Tried => string.Join(" + ", Changes.Select(static c => c.Tried));

    public string Flags => string.Join(" ", Changes.Select(static c => c.Flag));

    public string Code => "options with { " + string.Join(", ", Changes.Select(static c => c.Code)) + " }";

    /// <summary>True when any change alters the network (such remedies rank after those that keep it).</summary>
    public bool ChangesNetwork => Changes.Any(static c => c.ChangesNetwork);

    public TrainingOptions Apply(TrainingOptions options) => Changes.Aggregate(options, static (o, c) => c.Apply(o));
}

/// <summary>
/// The candidate remedies for a run's problems, single and combined, most likely first. Every candidate is a
/// change of <see cref="TrainingOptions"/>, so the search can run it on the same data and seed.
/// </summary>
internal static class Remedies
{
    /// <summary>At most this many candidates are tried.</summary>
    public const int MaxCandidates = 10;

    /// <summary>A learning rate above this is "high" for a run stuck at the base rate.</summary>
    public const double HighLearningRate = 0.1;

    private static readonly string[] ScaleSymptoms =
    [
        UnscaledInput, MixedScales, BiasOutpacesWeights, BadInitialLoss, SaturatedUnits, GrowingSaturation, SlowConvergence,
        StuckAtBaseRate, VanishingGradients, ExplodingGradients, FindingCodes.Diverged, Oscillation,
    ];

    private static readonly string[] SaturationSymptoms = [SaturatedUnits, VanishingGradients, GrowingSaturation, StuckAtBaseRate, SlowConvergence];

    public static IReadOnlyList<Candidate> For(IEnumerable<string> problemCodes, TrainingOptions options, bool hasValidation)
    {
        var codes = problemCodes.ToHashSet(StringComparer.Ordinal);
        var lr = options.LearningRate;
        var raw = options.Normalize == Normalization.None;
        var bounded = options.Activation is Activation.Sigmoid or Activation.Tanh;
        var tooHigh = codes.Contains(FindingCodes.Diverged) || codes.Contains(Oscillation) || codes.Contains(ExplodingGradients)
            || (codes.Contains(StuckAtBaseRate) && lr > HighLearningRate);
        var tooLow = !tooHigh && (codes.Contains(StuckAtBaseRate) || codes.Contains(SlowConvergence));
        var list = new List<Candidate>();
        void Add(params Change[] changes) => list.Add(new Candidate(changes));

        if (raw && ScaleSymptoms.Any(codes.Contains))
        {
            Add(Standardize);
            if (lr * 10 <= HighLearningRate) Add(Standardize, Lr(lr * 10));
            Add(BatchNorm);
            if (lr * 10 <= HighLearningRate) Add(BatchNorm, Lr(lr * 10));
            if (tooHigh) Add(Standardize, Lr(lr / 10));
        }
        if (bounded && SaturationSymptoms.Any(codes.Contains))
        {
            if (raw) Add(Standardize, Relu);
            else Add(Relu);
        }
        if (tooHigh)
        {
            Add(Lr(lr / 10));
            Add(Lr(lr / 100));
            Add(Clip);
            Add(Clip, Lr(lr / 10));
            var fallback = DefaultRate(options.Optimizer);
            if (fallback < lr / 100) Add(Lr(fallback));
        }
        if (tooLow)
        {
            Add(Lr(lr * 10));
            if (lr * 100 <= HighLearningRate) Add(Lr(lr * 100));
        }
        if (codes.Contains(DeadRelus) || codes.Contains(DyingRelus))
        {
            if (options.Initialize is not null) Add(DefaultInit);
            Add(Leaky);
            if (options.Initialize is not null) Add(DefaultInit, Leaky);
            if (codes.Contains(DyingRelus)) Add(Lr(lr / 10));
        }
        else if (options.Initialize is not null && (codes.Contains(SaturatedUnits) || codes.Contains(BadInitialLoss)))
        {
            Add(DefaultInit);
        }
        if (codes.Contains(ClassImbalance)) Add(PosWeightAuto(options.Loss));
        if (codes.Contains(Overfitting) && hasValidation)
        {
            if (options.Hidden.Sum() > 8) Add(Small);
            Add(Decay);
        }
        return [.. list.DistinctBy(static c => c.Flags, StringComparer.Ordinal).Take(MaxCandidates)];
    }

    private static string F(double v) => v.ToString("G3", CultureInfo.InvariantCulture);

    private static double DefaultRate(OptimizerKind optimizer) => optimizer == OptimizerKind.Sgd ? 0.01 : new TrainingOptions().LearningRate;

    private static readonly Change Standardize = new("standardize the inputs", "--normalize standard", "Normalize = Normalization.Standard",
        static o => o with { Normalize = Normalization.Standard });

    private static readonly Change BatchNorm = new("a BatchNorm1d input layer", "--normalize batchnorm", "Normalize = Normalization.BatchNorm",
        static o => o with { Normalize = Normalization.BatchNorm }, ChangesNetwork: true);

    private static readonly Change Relu = new("ReLU hidden units", "--activation relu", "Activation = Activation.Relu",
        static o => o with { Activation = Activation.Relu }, ChangesNetwork: true);

    private static readonly Change Leaky = new("LeakyReLU", "--activation leaky-relu", "Activation = Activation.LeakyRelu",
        static o => o with { Activation = Activation.LeakyRelu }, ChangesNetwork: true);

    private static readonly Change Clip = new("clip the gradient norm at 1", "--clip 1", "GradientClip = 1", static o => o with { GradientClip = 1 });

    private static readonly Change DefaultInit = new("PyTorch's default initialization", "(drop the custom initialization)", "Initialize = null",
        static o => o with { Initialize = null });

    private static readonly Change Small = new("a smaller network", "--hidden 8", "Hidden = [8]", static o => o with { Hidden = [8] }, ChangesNetwork: true);

    private static readonly Change Decay = new("weight decay 1e-3", "--weight-decay 0.001", "WeightDecay = 1e-3", static o => o with { WeightDecay = 1e-3 });

    private static Change Lr(double value) => new($"learning rate {F(value)}", $"--lr {F(value)}", $"LearningRate = {F(value)}",
        o => o with { LearningRate = value });

    private static Change PosWeightAuto(LossKind loss) => loss == LossKind.Bce
        ? new("positive-class weight #neg/#pos on the logits loss", "--pos-weight auto --loss bce-logits", "PosWeight = double.NaN, Loss = LossKind.BceWithLogits",
            static o => o with { PosWeight = double.NaN, Loss = LossKind.BceWithLogits })
        : new("positive-class weight #neg/#pos", "--pos-weight auto", "PosWeight = double.NaN", static o => o with { PosWeight = double.NaN });
}
