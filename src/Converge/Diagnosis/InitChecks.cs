using Converge.Data;
using Converge.Evaluation;
using Converge.Modules;
using Converge.Tensors;
using Converge.Training;
using static Converge.Diagnosis.FindingCodes;

namespace Converge.Diagnosis;

/// <summary>
/// Checks on the network as initialized, before the first step, on a sample of the training rows as the
/// network will see them: the first loss against the base-rate loss, each hidden layer's pre-activation
/// scale, saturated sigmoid/tanh outputs and dead ReLUs.
/// </summary>
public static class InitChecks
{
    /// <summary>Saturated share of sigmoid/tanh hidden outputs (within 1 % of a limit) at or above this is a warning.</summary>
    public const double SaturatedShare = 0.5;

    /// <summary>Share of ReLU units silent on every sampled row at or above this is a warning (all of a layer: error).</summary>
    public const double DeadShare = 0.5;

    /// <summary>An initial loss above the base-rate loss by more than max(this, the base-rate loss) is a warning.</summary>
    public const double ExcessLoss = 0.5;

    private const int SampleRows = 2048;

    /// <summary>Builds the network exactly as <see cref="TabularRecipe.Fit"/> will (same seed, normalization, custom init) and checks it.</summary>
    public static IReadOnlyList<Finding> Run(TrainingData train, TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        var spec = NetworkSpec.For(train.Cols, options);
        var model = spec.Build(new Generator(options.Seed));
        options.Initialize?.Invoke(model);
        var n = Math.Min(train.Rows, SampleRows);
        var x = train.Features.AsSpan(0, n * train.Cols).ToArray();
        if (options.Normalize == Normalization.Standard) StandardScaler.Fit(train.Features, train.Rows, train.Cols).Transform(x);
        return Run(model, new TrainingData(x, train.Labels.AsSpan(0, n).ToArray(), n, train.Cols), spec.OutputSigmoid, options);
    }

    /// <summary>Checks <paramref name="model"/> on <paramref name="inputs"/> given exactly as the network sees them.</summary>
    public static IReadOnlyList<Finding> Run(Sequential model, TrainingData inputs, bool outputIsProbability, TrainingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputs);
        options ??= new TrainingOptions();
        var layers = Walk(model, new Tensor(inputs.Features, inputs.Rows, inputs.Cols), outputIsProbability, out var probabilities);
        var findings = new List<Finding>();
        if (probabilities.All(float.IsFinite)) InitialLoss(probabilities, inputs.Labels, options, findings);
        Saturation(layers, options, findings);
        Dead(layers, options, findings);
        return findings;
    }

    private sealed record LayerStats(int Index, string Activation, double MeanAbsPreactivation, double Saturated, int DeadUnits, int Units);

    private static List<LayerStats> Walk(Sequential model, Tensor x, bool outputIsProbability, out float[] probabilities)
    {
        // Training mode, as the first step sees it: an input BatchNorm1d normalizes with the batch statistics,
        // not its initial running ones. The buffers it updates are put back afterwards.
        var wasTraining = model.IsTraining;
        var buffers = model.NamedBuffers().Select(static b => (b.Value, Data: (float[])b.Value.Data.Clone())).ToList();
        model.Train();
        var stats = new List<LayerStats>();
        try
        {
            using var _ = Tensor.NoGrad();
            var lastLinear = model.Layers.OfType<Linear>().LastOrDefault();
            var (hidden, meanAbs) = (0, 0d);
            foreach (var layer in model.Layers)
            {
                x = layer.Forward(x);
                if (layer is Linear && !ReferenceEquals(layer, lastLinear))
                {
                    hidden++;
                    meanAbs = x.Data.Average(static v => Math.Abs((double)v));
                }
                else if (LayerKinds.IsActivation(layer) && hidden > stats.Count)
                {
                    stats.Add(Measure(layer, x, hidden, meanAbs));
                }
            }
        }
        finally
        {
            foreach (var (tensor, data) in buffers) data.CopyTo(tensor.Data, 0);
            model.Train(wasTraining);
        }
        probabilities = (float[])x.Data.Clone();
        NetworkProbability.FromOutputs(probabilities, outputIsLogit: !outputIsProbability);
        return stats;
    }

    private static LayerStats Measure(Module layer, Tensor a, int index, double meanAbs)
    {
        var kind = LayerKinds.Of(layer)!;
        var m = kind.Measure(a.Data, a.Rows, a.Cols);
        return new LayerStats(index, kind.Name, meanAbs, m.Saturated / (double)a.Length, m.Dead, a.Cols);
    }

    private static void InitialLoss(float[] probabilities, float[] labels, TrainingOptions options, List<Finding> findings)
    {
        var loss = LogLoss(probabilities, labels);
        var positiveRate = labels.Average(static l => (double)l);
        var baseRate = BaseRateLoss(positiveRate);
        if (loss <= baseRate + Math.Max(ExcessLoss, baseRate)) return;
        findings.Add(new Finding(Severity.Warning, BadInitialLoss, $"The untrained network's loss {G(loss)} is far above the base-rate loss {G(baseRate)}.",
            new Dictionary<string, double>(StringComparer.Ordinal) { ["initialLoss"] = loss, ["baseRateLoss"] = baseRate, ["positiveRate"] = positiveRate },
            $"log loss {G(loss)} at initialization vs {G(baseRate)} for always predicting the positive rate {G(positiveRate)} (warning above {G(baseRate)} + max({G(ExcessLoss)}, {G(baseRate)})).",
            "A fresh network should be unsure (outputs near the base rate). Confident wrong outputs at the start mean huge pre-activations: unscaled inputs or a bad initialization; the first steps then fight large, saturated gradients.",
            options.Normalize == Normalization.None ? "--normalize standard" : "PyTorch's default initialization (drop the custom TrainingOptions.Initialize)"));
    }

    private static void Saturation(List<LayerStats> layers, TrainingOptions options, List<Finding> findings)
    {
        var bounded = layers.Where(static l => l.Activation is nameof(Sigmoid) or nameof(Tanh)).ToList();
        if (bounded.Count == 0) return;
        var share = bounded.Average(static l => l.Saturated);
        if (share < SaturatedShare) return;
        var values = new Dictionary<string, double>(StringComparer.Ordinal) { ["saturatedShare"] = share };
        foreach (var l in bounded) (values[$"layer{l.Index}.saturated"], values[$"layer{l.Index}.meanAbsPreactivation"]) = (l.Saturated, l.MeanAbsPreactivation);
        findings.Add(new Finding(Severity.Warning, SaturatedUnits, $"{Pct(share)} of the hidden {bounded[0].Activation.ToLowerInvariant()} outputs are saturated before training.",
            values,
            string.Join("; ", bounded.Select(l => $"hidden layer {l.Index}: {Pct(l.Saturated)} saturated, mean |z| {G(l.MeanAbsPreactivation)}")) + $" (warning at {Pct(SaturatedShare)}).",
            "A saturated sigmoid/tanh passes almost no gradient (σ'(z) ≈ 0 for |z| ≫ 1), so the layers before it barely learn.",
            options.Normalize == Normalization.None
                ? "--normalize standard (or --normalize batchnorm) to bring |z| near 1; or --activation relu."
                : "--activation relu, or PyTorch's default initialization if a custom one is set."));
    }

    private static void Dead(List<LayerStats> layers, TrainingOptions options, List<Finding> findings)
    {
        var relus = layers.Where(static l => l.Activation == nameof(ReLU)).ToList();
        if (relus.Count == 0) return;
        var share = relus.Sum(static l => l.DeadUnits) / (double)relus.Sum(static l => l.Units);
        var allDead = relus.Any(static l => l.DeadUnits == l.Units);
        if (share < DeadShare && !allDead) return;
        var values = new Dictionary<string, double>(StringComparer.Ordinal) { ["deadShare"] = share };
        foreach (var l in relus) (values[$"layer{l.Index}.dead"], values[$"layer{l.Index}.meanAbsPreactivation"]) = (l.DeadUnits / (double)l.Units, l.MeanAbsPreactivation);
        findings.Add(new Finding(allDead ? Severity.Error : Severity.Warning, DeadRelus, $"{Pct(share)} of the ReLU units output 0 on every sampled row before training.",
            values,
            string.Join("; ", relus.Select(l => $"hidden layer {l.Index}: {l.DeadUnits} of {l.Units} dead, mean |z| {G(l.MeanAbsPreactivation)}")) + $" (warning at {Pct(DeadShare)}, error when a whole layer is dead).",
            "A ReLU with a negative pre-activation on every row has zero gradient: its weights never change, and a fully dead layer blocks all gradient to the layers before it.",
            options.Initialize is not null
                ? "PyTorch's default (Kaiming-uniform) initialization: drop the custom TrainingOptions.Initialize; or --activation leaky-relu."
                : "--activation leaky-relu, or a smaller --lr; standardize the inputs (--normalize standard)."));
    }

    internal static double LogLoss(float[] probabilities, float[] labels)
    {
        var sum = 0d;
        for (var i = 0; i < labels.Length; i++)
        {
            sum += BinaryMetrics.CrossEntropy(probabilities[i], labels[i] == 1f);
        }
        return sum / labels.Length;
    }
}
