using Converge.Diagnosis;
using Converge.Training;

namespace Converge.Tests.Diagnosis;

/// <summary>The dynamics checks read recorded numbers only, so these histories are plain arrays.</summary>
public class DynamicsChecksTests
{
    private const double BaseRate = 0.6931;   // ln 2: balanced classes

    private static List<EpochLog> History(IEnumerable<double> train, IEnumerable<double>? validation = null, Func<int, MonitorSample?>? monitor = null) =>
        [.. train.Select((loss, i) => new EpochLog(i + 1, loss, validation?.ElementAt(i) ?? double.NaN, double.NaN, 1e-3, monitor?.Invoke(i + 1)))];

    private static string[] Codes(IReadOnlyList<EpochLog> history, StopReason stop = StopReason.Completed, TrainingOptions? options = null) =>
        [.. DynamicsChecks.Run(history, stop, null, BaseRate, options).Where(static f => f.Severity >= Severity.Warning).Select(static f => f.Code)];

    private static MonitorSample Sample(double firstGrad = 1, double lastGrad = 1, double weightChange = 0.1, double biasChange = 0.1, double saturated = 0, double dead = 0) =>
        new(new Dictionary<string, double> { ["0.weight"] = firstGrad, ["0.bias"] = firstGrad, ["2.weight"] = lastGrad, ["2.bias"] = lastGrad },
            weightChange, biasChange, saturated, dead);

    [Fact]
    public void A_healthy_exponential_decay_raises_nothing()
    {
        var losses = Enumerable.Range(0, 100).Select(static e => 0.01 + 0.68 * Math.Exp(-e / 8.0));
        Assert.Empty(Codes(History(losses, monitor: static _ => Sample())));
    }

    [Fact]
    public void A_diverged_run_is_an_error_with_a_tenth_of_the_learning_rate()
    {
        var history = History([0.7, 0.6, 0.5, double.NaN]);
        var finding = DynamicsChecks.Run(history, StopReason.Diverged, "epoch 4: NaN", BaseRate, new TrainingOptions { LearningRate = 0.5 })
            .Single(static f => f.Code == FindingCodes.Diverged);
        Assert.Equal(Severity.Error, finding.Severity);
        Assert.Equal("epoch 4: NaN", finding.Evidence);
    }

    [Fact]
    public void A_bouncing_loss_is_oscillation()
    {
        var losses = Enumerable.Range(0, 40).Select(static e => 0.4 + (e % 2 == 0 ? 0.15 : -0.15));
        Assert.Contains(FindingCodes.Oscillation, Codes(History(losses)));
        // Tiny wiggles at a low loss are minibatch noise, not a learning rate problem.
        var noise = Enumerable.Range(0, 40).Select(static e => 0.02 + (e % 2 == 0 ? 0.001 : -0.001));
        Assert.DoesNotContain(FindingCodes.Oscillation, Codes(History(noise)));
    }

    [Fact]
    public void A_loss_that_climbs_back_is_oscillation()
    {
        var losses = Enumerable.Range(0, 30).Select(static e => e < 15 ? 0.7 - 0.03 * e : 0.7);
        Assert.Contains(FindingCodes.Oscillation, Codes(History(losses)));
    }

    [Fact]
    public void A_flat_loss_at_the_base_rate_is_stuck()
    {
        Assert.Contains(FindingCodes.StuckAtBaseRate, Codes(History(Enumerable.Repeat(0.69, 50))));
    }

    [Fact]
    public void A_loss_still_falling_steadily_far_from_converged_is_slow_convergence()
    {
        var losses = Enumerable.Range(0, 100).Select(static e => 0.65 - 0.003 * e).ToList();   // ends at 0.35: half the base rate
        Assert.Contains(FindingCodes.SlowConvergence, Codes(History(losses)));
        // The same slope stopped by early stopping, or ending near 0, is not reported.
        Assert.DoesNotContain(FindingCodes.SlowConvergence, Codes(History(losses), StopReason.EarlyStopped));
        Assert.DoesNotContain(FindingCodes.SlowConvergence, Codes(History(losses.Select(static l => l - 0.3))));
    }

    [Fact]
    public void A_rising_validation_loss_while_training_falls_is_overfitting()
    {
        var train = Enumerable.Range(0, 60).Select(static e => 0.6 * Math.Exp(-e / 10.0)).ToList();
        var validation = Enumerable.Range(0, 60).Select(static e => 0.3 + Math.Pow((e - 15) / 30.0, 2)).ToList();
        Assert.Contains(FindingCodes.Overfitting, Codes(History(train, validation)));
        var caught = DynamicsChecks.Run(History(train, validation), StopReason.EarlyStopped, null, BaseRate).Single(static f => f.Code == FindingCodes.Overfitting);
        Assert.Equal(Severity.Info, caught.Severity);
        Assert.Equal(16, caught.Values["bestEpoch"]);
    }

    [Fact]
    public void Gradient_norms_reveal_vanishing_and_exploding_gradients()
    {
        var losses = Enumerable.Range(0, 20).Select(static e => 0.3 + 0.3 * Math.Exp(-e / 3.0));
        Assert.Contains(FindingCodes.VanishingGradients, Codes(History(losses, monitor: static _ => Sample(firstGrad: 1e-6, lastGrad: 1))));
        Assert.Contains(FindingCodes.ExplodingGradients, Codes(History(losses, monitor: static e => Sample(firstGrad: e * 200, lastGrad: 1))));
    }

    [Fact]
    public void A_first_layer_bias_outpacing_its_weights_is_a_warning_only_on_raw_inputs()
    {
        var losses = Enumerable.Range(0, 20).Select(static e => 0.3 + 0.3 * Math.Exp(-e / 3.0));
        var history = History(losses, monitor: static _ => Sample(weightChange: 0.001, biasChange: 0.05));
        var raw = DynamicsChecks.Run(history, StopReason.Completed, null, BaseRate, new TrainingOptions { Normalize = Normalization.None });
        Assert.Equal(50, raw.Single(static f => f.Code == FindingCodes.BiasOutpacesWeights).Values["medianBiasToWeightChange"], 1e-9);
        Assert.Equal(Severity.Warning, raw.Single(static f => f.Code == FindingCodes.BiasOutpacesWeights).Severity);
        Assert.DoesNotContain(FindingCodes.BiasOutpacesWeights, Codes(history));
    }

    [Fact]
    public void Growing_saturation_is_a_warning_only_while_the_fit_is_poor()
    {
        MonitorSample Growing(int e) => Sample(saturated: Math.Min(0.9, e / 20.0));
        var poor = Enumerable.Range(0, 20).Select(static e => 0.6 - 0.001 * e);
        var good = Enumerable.Range(0, 20).Select(static e => 0.6 * Math.Exp(-e / 2.0));
        Assert.Contains(FindingCodes.GrowingSaturation, Codes(History(poor, monitor: Growing)));
        Assert.DoesNotContain(FindingCodes.GrowingSaturation, Codes(History(good, monitor: Growing)));
    }
}
