using Converge.Optimizers;

namespace Converge.Tests.Optimizers;

public class CosineAnnealingLrTests
{
    [Fact]
    public void Matches_pytorch_vectors_exactly_including_the_climb_after_tmax()
    {
        var v = SchedulerVectors.Block("CosineAnnealingLR");
        var expected = v.Numbers("lr_used_in_epoch");
        var optimizer = new FakeOptimizer(v.Number("base_lr"));
        var scheduler = new CosineAnnealingLr(optimizer, v.GetProperty("T_max").GetInt32(), v.Number("eta_min"));
        Assert.Equal(expected, SchedulerVectors.LearningRatesUsed(optimizer, scheduler, expected.Length));
    }

    [Fact]
    public void Closed_form_matches_the_textbook_values_in_the_vectors()
    {
        var v = SchedulerVectors.Block("CosineAnnealingLR");
        var closed = v.Numbers("closed_form");
        var tMax = v.GetProperty("T_max").GetInt32();
        for (var e = 0; e < closed.Length; e++)
            Assert.Equal(closed[e], CosineAnnealingLr.At(v.Number("base_lr"), tMax, v.Number("eta_min"), e));
    }

    [Fact]
    public void Stays_periodic_over_many_periods()
    {
        // Period 2·TMax: the minimum returns at epochs TMax, 3·TMax, ...; the maximum at 0, 2·TMax, ...
        // Recursion accumulates rounding, hence the 1e-12 tolerance.
        var optimizer = new FakeOptimizer(0.1);
        var scheduler = new CosineAnnealingLr(optimizer, 3, 0.01);
        for (var e = 1; e <= 60; e++)
        {
            scheduler.Step();
            if (e % 6 == 3) Assert.Equal(0.01, optimizer.LearningRate, 1e-12);
            if (e % 6 == 0) Assert.Equal(0.1, optimizer.LearningRate, 1e-12);
            Assert.Equal(CosineAnnealingLr.At(0.1, 3, 0.01, e), optimizer.LearningRate, 1e-12);
        }
    }

    [Theory]
    [InlineData(0, 0.0, "TMax must be ≥ 1, got 0")]
    [InlineData(4, -1.0, "EtaMin must be a finite number ≥ 0, got -1")]
    public void Rejects_bad_arguments_naming_the_value(int tMax, double etaMin, string message)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new CosineAnnealingLr(new FakeOptimizer(0.1), tMax, etaMin));
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }
}
