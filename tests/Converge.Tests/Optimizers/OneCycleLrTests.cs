using Converge.Optimizers;

namespace Converge.Tests.Optimizers;

public class OneCycleLrTests
{
    [Fact]
    public void Matches_pytorch_learning_rates_and_momenta_exactly()
    {
        var v = SchedulerVectors.Block("OneCycleLR");
        var lrs = v.Numbers("lr_used_in_step");
        var momenta = v.Numbers("momentum_used_in_step");
        var optimizer = new FakeOptimizer(0.01, momentum: 0.9);   // SGD(momentum=0.9); its lr is overwritten
        var scheduler = new OneCycleLr(optimizer, v.Number("max_lr"), v.GetProperty("total_steps").GetInt32(),
            pctStart: v.Number("pct_start"), divFactor: v.Number("div_factor"), finalDivFactor: v.Number("final_div_factor"));
        for (var t = 0; t < lrs.Length; t++)
        {
            Assert.Equal(lrs[t], optimizer.LearningRate);
            Assert.Equal(momenta[t], optimizer.Momentum);
            optimizer.Step();
            scheduler.Step();
        }
        Assert.Equal(0.1 / 25, scheduler.BaseLearningRate);
        Assert.Equal(0.1 / 25 / 1e4, scheduler.MinLr);
    }

    [Fact]
    public void Stepping_past_total_steps_throws_and_leaves_the_state_alone()
    {
        // PyTorch accepts last_epoch up to total_steps and raises on the step after.
        var optimizer = new FakeOptimizer(0.01, momentum: 0.9);
        var scheduler = new OneCycleLr(optimizer, 0.1, 4);
        for (var i = 0; i < 4; i++) scheduler.Step();
        var lr = optimizer.LearningRate;
        var ex = Assert.Throws<InvalidOperationException>(scheduler.Step);
        Assert.Contains("tried to step 6 times, but TotalSteps is 4", ex.Message, StringComparison.Ordinal);
        Assert.Equal(4, scheduler.LastEpoch);
        Assert.Equal(lr, optimizer.LearningRate);
    }

    [Fact]
    public void Linear_two_phase_hits_hand_computed_values()
    {
        // initial = 1/10 = 0.1, min = 0.1/1e4 = 1e-5; warm-up ends at 0.3·10 − 1 = 2.
        // Steps 0,1,2: 0.1, 0.55, 1. Then (1e-5 − 1)·(t − 2)/7 + 1, so step 9 ≈ 1e-5.
        // Momentum mirrors it: 0.95, 0.90, 0.85, then back up to 0.95 at step 9.
        var optimizer = new FakeOptimizer(0.5, momentum: 0.0);
        var scheduler = new OneCycleLr(optimizer, 1.0, 10, anneal: AnnealStrategy.Linear, divFactor: 10);
        double[] lr = [0.1, 0.55, 1.0, 1 - (0.99999 / 7), 1 - (2 * 0.99999 / 7), 1 - (3 * 0.99999 / 7), 1 - (4 * 0.99999 / 7), 1 - (5 * 0.99999 / 7), 1 - (6 * 0.99999 / 7), 1e-5];
        double[] momentum = [0.95, 0.90, 0.85, 0.85 + (0.1 / 7), 0.85 + (0.2 / 7), 0.85 + (0.3 / 7), 0.85 + (0.4 / 7), 0.85 + (0.5 / 7), 0.85 + (0.6 / 7), 0.95];
        for (var t = 0; t < 10; t++)
        {
            Assert.Equal(lr[t], optimizer.LearningRate, 1e-15);
            Assert.Equal(momentum[t], optimizer.Momentum!.Value, 1e-15);
            scheduler.Step();
        }
    }

    [Fact]
    public void Three_phase_returns_to_the_initial_rate_before_the_final_anneal()
    {
        // Ends: 0.3·10 − 1 = 2, 2·0.3·10 − 2 = 4, 9. Linear: up 0.1→1 (steps 0–2), down 1→0.1 (2–4),
        // then 0.1→1e-5 (4–9); momentum 0.95→0.85→0.95 and then held at 0.95.
        var optimizer = new FakeOptimizer(0.5, momentum: 0.0);
        var scheduler = new OneCycleLr(optimizer, 1.0, 10, anneal: AnnealStrategy.Linear, divFactor: 10, threePhase: true);
        double[] lr = [0.1, 0.55, 1.0, 0.55, 0.1, 0.1 - (0.09999 / 5), 0.1 - (2 * 0.09999 / 5), 0.1 - (3 * 0.09999 / 5), 0.1 - (4 * 0.09999 / 5), 1e-5];
        double[] momentum = [0.95, 0.90, 0.85, 0.90, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95];
        for (var t = 0; t < 10; t++)
        {
            Assert.Equal(lr[t], optimizer.LearningRate, 1e-15);
            Assert.Equal(momentum[t], optimizer.Momentum!.Value, 1e-15);
            scheduler.Step();
        }
    }

    [Theory]
    [InlineData(AnnealStrategy.Cosine)]
    [InlineData(AnnealStrategy.Linear)]
    public void The_step_after_the_last_batch_holds_the_final_values(AnnealStrategy anneal)
    {
        // PyTorch extrapolates here (a linear anneal would go negative); this port holds MinLr and MaxMomentum.
        var optimizer = new FakeOptimizer(0.5, momentum: 0.9);
        var scheduler = new OneCycleLr(optimizer, 1.0, 10, anneal: anneal);
        for (var i = 0; i < 10; i++) scheduler.Step();
        Assert.Equal(scheduler.MinLr, optimizer.LearningRate, 1e-15);
        Assert.Equal(0.95, optimizer.Momentum!.Value, 1e-15);
    }

    [Fact]
    public void Without_momentum_cycling_the_momentum_is_untouched()
    {
        var optimizer = new FakeOptimizer(0.5, momentum: 0.3);
        var scheduler = new OneCycleLr(optimizer, 1.0, 10, cycleMomentum: false);
        scheduler.Step();
        Assert.Equal(0.3, optimizer.Momentum);
    }

    [Fact]
    public void Cycling_momentum_on_an_optimizer_without_one_is_refused()
    {
        var ex = Assert.Throws<ArgumentException>(() => new OneCycleLr(new FakeOptimizer(0.5), 1.0, 10));
        Assert.Contains("cycleMomentum", ex.Message, StringComparison.Ordinal);
        _ = new OneCycleLr(new FakeOptimizer(0.5), 1.0, 10, cycleMomentum: false);
    }

    [Theory]
    [InlineData(0.0, 10, 0.3, "MaxLr must be a finite number > 0, got 0")]
    [InlineData(0.1, 0, 0.3, "TotalSteps must be ≥ 1, got 0")]
    [InlineData(0.1, 10, 1.5, "PctStart must be in [0, 1], got 1.5")]
    public void Rejects_bad_arguments_naming_the_value(double maxLr, int totalSteps, double pctStart, string message)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new OneCycleLr(new FakeOptimizer(0.5, 0.9), maxLr, totalSteps, pctStart));
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }
}
