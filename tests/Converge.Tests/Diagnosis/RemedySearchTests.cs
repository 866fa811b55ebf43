using Converge.Diagnosis;
using Converge.Modules;
using Converge.Tensors;
using Converge.Training;

namespace Converge.Tests.Diagnosis;

/// <summary>
/// Planted failures of many kinds on varied data: each is diagnosed and the remedy search repairs it to the
/// documented healthy level, or says honestly that nothing helped when no remedy exists (shuffled labels).
/// </summary>
public class RemedySearchTests
{
    // A budget no machine load can shrink: every candidate gets the run's own epochs, so the outcomes are reproducible.
    private static readonly DoctorOptions Search = new(SearchSeconds: 600);

    public sealed record Case(string Name, TrainingData Train, TrainingData? Validation, TrainingOptions Options, string[] Codes)
    {
        public override string ToString() => Name;
    }

    private static TrainingOptions Plain(int epochs) => new() { Epochs = epochs, ValidationSplit = 0, Patience = 0 };

    /// <summary>Every hidden layer's weights multiplied by <paramref name="factor"/> (a bad init that saturates bounded units).</summary>
    private static Action<Sequential> ScaleHiddenWeights(float factor) => model =>
    {
        foreach (var linear in model.Layers.OfType<Linear>().SkipLast(1))
            for (var i = 0; i < linear.Weight.Length; i++) linear.Weight.Data[i] *= factor;
    };

    private static TrainingData Shuffled(TrainingData data, ulong seed)
    {
        var labels = (float[])data.Labels.Clone();
        new Generator(seed).Shuffle<float>(labels);
        return data with { Labels = labels };
    }

    public static TheoryData<Case> Repairable() =>
    [
        new("question: raw bpm, sigmoid, BCELoss, Adam 0.001, full batch", Scenarios.HeartRate(), null,
            Scenarios.Question(Normalization.None, epochs: 1000) with { BatchSize = 0 }, [FindingCodes.UnscaledInput]),
        new("SGD learning rate ten times too high", Scenarios.Linear(400, 4, 3), null,
            Plain(40) with { Optimizer = OptimizerKind.Sgd, LearningRate = 3.0 }, [FindingCodes.Oscillation, FindingCodes.Diverged]),
        new("Adam learning rate far too low", Scenarios.Circles(), null,
            Plain(100) with { LearningRate = 1e-5 }, [FindingCodes.StuckAtBaseRate, FindingCodes.SlowConvergence]),
        new("first bias -50: every ReLU dead", Scenarios.Circles(), null,
            Plain(60) with { Initialize = Scenarios.FirstBias(-50) }, [FindingCodes.DeadRelus]),
        new("huge raw features and SGD: divergence", Scenarios.MapColumn(Scenarios.Linear(300, 3, 5), 0, static (v, _) => 1e3f * v), null,
            Plain(40) with { Optimizer = OptimizerKind.Sgd, LearningRate = 0.1, Normalize = Normalization.None }, [FindingCodes.Diverged, FindingCodes.ExplodingGradients, FindingCodes.MixedScales, FindingCodes.UnscaledInput]),
        new("4 % positives", Scenarios.Linear(1000, 4, 4, positiveRate: 0.04), null,
            Plain(30), [FindingCodes.ClassImbalance]),
        new("one feature 10,000 times the others, raw", Scenarios.MapColumn(Scenarios.Linear(300, 3, 10), 0, static (v, _) => v * 1e4f), null,
            Plain(60) with { Normalize = Normalization.None }, [FindingCodes.MixedScales]),
        new("tanh saturated by a 50× initialization", Scenarios.Linear(400, 4, 6), null,
            Plain(60) with { Activation = Activation.Tanh, Initialize = ScaleHiddenWeights(50) }, [FindingCodes.SaturatedUnits]),
        new("deep sigmoid network: vanishing gradients", Scenarios.Circles(), null,
            Plain(40) with { Hidden = [8, 8, 8, 8, 8, 8, 8, 8], Activation = Activation.Sigmoid }, [FindingCodes.VanishingGradients, FindingCodes.StuckAtBaseRate, FindingCodes.SlowConvergence]),
        new("features offset by 500, raw: the bias outpaces the weights", Scenarios.MapColumn(Scenarios.MapColumn(Scenarios.Linear(400, 2, 8), 0, static (v, _) => v + 500), 1, static (v, _) => v + 500), null,
            Plain(60) with { Normalize = Normalization.None }, [FindingCodes.UnscaledInput, FindingCodes.BiasOutpacesWeights]),
    ];

    [Theory]
    [MemberData(nameof(Repairable))]
    public void A_planted_failure_is_diagnosed_and_repaired(Case c)
    {
        var d = Doctor.Diagnose(c.Train, c.Validation, c.Options, null, Search);
        var text = Scenarios.Describe(d) + "\n" + Trials(d);
        Assert.True(d.Findings.Any(f => f.Severity >= Severity.Warning && c.Codes.Contains(f.Code)), $"expected one of {string.Join(", ", c.Codes)}:\n{text}");
        var best = d.Search?.Best;
        Assert.True(best is not null, text);
        Assert.True(best.Outcome == RemedyOutcome.Repaired, text);
        Assert.True(best.Improved);
        if (best.Metric.Contains("loss", StringComparison.Ordinal))
        {
            Assert.True(best.Remedied <= best.HealthyLevel, text);
            Assert.True(best.Remedied < 0.95 * best.BaseRateLoss, text);
        }
        else
        {
            Assert.True(best.Remedied >= best.HealthyLevel, text);
        }
        Assert.Same(best, d.Findings.First(static f => f.Severity >= Severity.Warning).Confirmation);
        Assert.Contains(best.Flags, d.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void The_questions_setup_is_repaired_by_what_the_answer_found()
    {
        var d = Doctor.Diagnose(Scenarios.HeartRate(), null, Scenarios.Question(Normalization.None, epochs: 1000) with { BatchSize = 0 }, ["bpm"], Search);
        var best = d.Search!.Best;
        Assert.Equal(RemedyOutcome.Repaired, best.Outcome);
        Assert.Equal("--normalize standard --lr 0.01", best.Flags);
        Assert.Equal("options with { Normalize = Normalization.Standard, LearningRate = 0.01 }", best.Code);
        Assert.True(best.Remedied <= 0.05, Trials(d));
        Assert.True(best.Baseline > 0.6, Trials(d));   // the run as configured learned nothing
        Assert.Equal(1000, best.BaselineEpochs);
        Assert.True(best.Epochs <= 1000);
    }

    [Fact]
    public void Shuffled_labels_are_not_repaired_and_no_gain_is_claimed()
    {
        var train = Shuffled(Scenarios.Linear(400, 4, 21), 5);
        var validation = Shuffled(Scenarios.Linear(200, 4, 22), 6);
        var options = new TrainingOptions { Epochs = 60, LearningRate = 1e-5 };   // stuck: the doctor has something to try
        var d = Doctor.Diagnose(train, validation, options, null, Search);
        var best = d.Search?.Best;
        Assert.True(best is not null, Scenarios.Describe(d));
        Assert.Equal(RemedyOutcome.NotHelped, best.Outcome);
        Assert.False(best.Improved);
        Assert.Contains("No remedy tried helped", d.Summary, StringComparison.Ordinal);
        // Every candidate stayed at (or above) the base-rate loss on the validation rows.
        Assert.All(d.Search!.Trials, t => Assert.True(t.Metric >= 0.95 * best.BaseRateLoss, Trials(d)));
    }

    [Fact]
    public void The_budget_caps_the_epochs_of_each_candidate()
    {
        var d = Doctor.Diagnose(Scenarios.HeartRate(), null, Scenarios.Question(Normalization.None, epochs: 400) with { BatchSize = 0 }, null,
            new DoctorOptions(SearchSeconds: 600, MaxEpochs: 100));
        Assert.Equal(100, d.Search!.EpochsPerTrial);
        Assert.All(d.Search.Trials, static t => Assert.True(t.Epochs <= 100));
    }

    private static string Trials(DiagnosisReport d) => d.Search is not { } s ? "(no search)" :
        string.Join("\n", s.Trials.Select(t => $"  {t.Flags}: {t.Metric:G4} ({t.Epochs} epochs, {t.StopReason})")) +
        $"\n  best {s.Best.Flags} {s.Best.Baseline:G4} → {s.Best.Remedied:G4} {s.Best.Outcome}, healthy {s.Best.HealthyLevel:G3} ({s.Best.HealthyBasis}), base {s.Best.BaseRateLoss:G3}";
}
