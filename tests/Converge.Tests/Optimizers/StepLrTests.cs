using Converge.Optimizers;

namespace Converge.Tests.Optimizers;

public class StepLrTests
{
    [Fact]
    public void Matches_pytorch_vectors_exactly()
    {
        var v = SchedulerVectors.Block("StepLR");
        var expected = v.Numbers("lr_used_in_epoch");
        var optimizer = new FakeOptimizer(v.Number("base_lr"));
        var scheduler = new StepLr(optimizer, v.GetProperty("step_size").GetInt32(), v.Number("gamma"));
        Assert.Equal(expected, SchedulerVectors.LearningRatesUsed(optimizer, scheduler, expected.Length));
        Assert.Equal(expected.Length, scheduler.LastEpoch);
    }

    [Fact]
    public void Construction_keeps_the_base_rate_and_sets_epoch_zero()
    {
        var optimizer = new FakeOptimizer(0.3);
        var scheduler = new StepLr(optimizer, 2);
        Assert.Equal(0, scheduler.LastEpoch);
        Assert.Equal(0.3, scheduler.LastLearningRate);
        Assert.Equal(0.3, optimizer.LearningRate);
    }

    [Fact]
    public void Decays_from_the_current_rate_so_an_external_change_carries_over()
    {
        // Chainable form: at epoch 2 the rate becomes (whatever the optimizer holds)·gamma.
        var optimizer = new FakeOptimizer(0.1);
        var scheduler = new StepLr(optimizer, 2, 0.5);
        scheduler.Step();
        optimizer.LearningRate = 1.0;
        scheduler.Step();
        Assert.Equal(0.5, optimizer.LearningRate);
        Assert.Equal(0.5, scheduler.LastLearningRate);
    }

    [Fact]
    public void Closed_form_matches_the_stepped_values_for_power_of_two_gamma()
    {
        // gamma = 0.5 is exact in binary, so the running product and the power agree to the bit.
        var optimizer = new FakeOptimizer(0.1);
        var scheduler = new StepLr(optimizer, 3, 0.5);
        for (var e = 0; e < 12; e++)
        {
            Assert.Equal(StepLr.At(0.1, 3, 0.5, e), optimizer.LearningRate);
            scheduler.Step();
        }
    }

    [Theory]
    [InlineData(0, 0.1, "StepSize must be ≥ 1, got 0")]
    [InlineData(3, 0.0, "Gamma must be a finite number > 0, got 0")]
    [InlineData(3, double.NaN, "Gamma must be a finite number > 0, got NaN")]
    public void Rejects_bad_arguments_naming_the_value(int stepSize, double gamma, string message)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new StepLr(new FakeOptimizer(0.1), stepSize, gamma));
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }
}
