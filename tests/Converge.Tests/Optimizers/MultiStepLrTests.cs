using Converge.Optimizers;

namespace Converge.Tests.Optimizers;

public class MultiStepLrTests
{
    [Fact]
    public void Matches_pytorch_vectors_exactly_with_a_repeated_milestone()
    {
        var v = SchedulerVectors.Block("MultiStepLR");
        var expected = v.Numbers("lr_used_in_epoch");
        var optimizer = new FakeOptimizer(v.Number("base_lr"));
        var scheduler = new MultiStepLr(optimizer, v.Integers("milestones"), v.Number("gamma"));
        Assert.Equal(expected, SchedulerVectors.LearningRatesUsed(optimizer, scheduler, expected.Length));
    }

    [Fact]
    public void Milestones_are_a_sorted_multiset()
    {
        var scheduler = new MultiStepLr(new FakeOptimizer(0.1), [5, 2, 5]);
        Assert.Equal([2, 5, 5], scheduler.Milestones);
    }

    [Fact]
    public void A_milestone_at_zero_applies_at_construction_as_in_pytorch()
    {
        var optimizer = new FakeOptimizer(1.0);
        _ = new MultiStepLr(optimizer, [0], 0.5);
        Assert.Equal(0.5, optimizer.LearningRate);
    }

    [Fact]
    public void Closed_form_counts_milestones_up_to_the_epoch()
    {
        // Milestones [2, 5, 5]: at epoch 5 three have passed, base·0.5³ = 0.125.
        Assert.Equal(0.125, MultiStepLr.At(1.0, [2, 5, 5], 0.5, 5));
        Assert.Equal(0.5, MultiStepLr.At(1.0, [2, 5, 5], 0.5, 4));
    }

    [Fact]
    public void Rejects_a_negative_milestone_naming_it()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new MultiStepLr(new FakeOptimizer(0.1), [3, -1]));
        Assert.Contains("got -1", ex.Message, StringComparison.Ordinal);
    }
}
