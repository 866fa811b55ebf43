using System.Text.Json;
using Converge.Optimizers;

namespace Converge.Tests.Optimizers;

public class ReduceLrOnPlateauTests
{
    [Fact]
    public void Matches_pytorch_vectors_exactly_in_min_rel_mode()
    {
        var v = SchedulerVectors.Block("ReduceLROnPlateau");
        var s = v.GetProperty("settings");
        var optimizer = new FakeOptimizer(v.Number("base_lr"));
        var scheduler = new ReduceLrOnPlateau(optimizer, factor: s.Number("factor"), patience: s.GetProperty("patience").GetInt32());
        Replay(v, optimizer, scheduler);
    }

    [Fact]
    public void Matches_pytorch_vectors_exactly_in_max_abs_mode_with_cooldown_and_floor()
    {
        var v = SchedulerVectors.Block("ReduceLROnPlateau_max_abs_cooldown");
        var s = v.GetProperty("settings");
        Assert.Equal("max", s.GetProperty("mode").GetString());
        Assert.Equal("abs", s.GetProperty("threshold_mode").GetString());
        var optimizer = new FakeOptimizer(v.Number("base_lr"));
        var scheduler = new ReduceLrOnPlateau(optimizer, PlateauMode.Max, s.Number("factor"), s.GetProperty("patience").GetInt32(),
            s.Number("threshold"), ThresholdMode.Absolute, s.GetProperty("cooldown").GetInt32(), s.Number("min_lr"));
        Replay(v, optimizer, scheduler);
    }

    [Fact]
    public void Does_nothing_at_construction()
    {
        var optimizer = new FakeOptimizer(0.2);
        var scheduler = new ReduceLrOnPlateau(optimizer, PlateauMode.Max);
        Assert.Equal(0.2, optimizer.LearningRate);
        Assert.Equal(double.NegativeInfinity, scheduler.Best);
        Assert.Equal(0, scheduler.LastEpoch);
    }

    [Fact]
    public void A_nan_metric_counts_as_a_bad_epoch()
    {
        var scheduler = new ReduceLrOnPlateau(new FakeOptimizer(0.2), patience: 5);
        scheduler.Step(1.0);
        scheduler.Step(double.NaN);
        Assert.Equal(1.0, scheduler.Best);
        Assert.Equal(1, scheduler.NumBadEpochs);
    }

    [Fact]
    public void Relative_threshold_in_max_mode_needs_a_proportional_gain()
    {
        // threshold 0.1: from best 1.0 a metric must exceed 1.1 (1.1·(1 + 0.1) ≈ 1.21 for the next).
        var scheduler = new ReduceLrOnPlateau(new FakeOptimizer(0.2), PlateauMode.Max, threshold: 0.1);
        scheduler.Step(1.0);
        scheduler.Step(1.05);
        Assert.Equal(1.0, scheduler.Best);
        scheduler.Step(1.2);
        Assert.Equal(1.2, scheduler.Best);
    }

    [Theory]
    [InlineData(1.0, 10, "Factor must be in [0, 1), got 1")]
    [InlineData(0.5, -1, "Patience must be ≥ 0, got -1")]
    public void Rejects_bad_arguments_naming_the_value(double factor, int patience, string message)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new ReduceLrOnPlateau(new FakeOptimizer(0.1), factor: factor, patience: patience));
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    private static void Replay(JsonElement v, FakeOptimizer optimizer, ReduceLrOnPlateau scheduler)
    {
        var metrics = v.Numbers("metrics");
        var lr = v.Numbers("lr_after_step");
        var best = v.Numbers("best_after_step");
        var bad = v.Integers("num_bad_epochs_after_step");
        var cooldown = v.Integers("cooldown_counter_after_step");
        for (var i = 0; i < metrics.Length; i++)
        {
            optimizer.Step();
            scheduler.Step(metrics[i]);
            Assert.Equal(lr[i], optimizer.LearningRate);
            Assert.Equal(lr[i], scheduler.LastLearningRate);
            Assert.Equal(best[i], scheduler.Best);
            Assert.Equal(bad[i], scheduler.NumBadEpochs);
            Assert.Equal(cooldown[i], scheduler.CooldownCounter);
        }
        Assert.Equal(metrics.Length, scheduler.LastEpoch);
    }
}
