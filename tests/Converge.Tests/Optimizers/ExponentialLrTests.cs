using Converge.Optimizers;

namespace Converge.Tests.Optimizers;

public class ExponentialLrTests
{
    [Fact]
    public void Matches_pytorch_vectors_exactly()
    {
        var v = SchedulerVectors.Block("ExponentialLR");
        var expected = v.Numbers("lr_used_in_epoch");
        var optimizer = new FakeOptimizer(v.Number("base_lr"));
        var scheduler = new ExponentialLr(optimizer, v.Number("gamma"));
        var used = SchedulerVectors.LearningRatesUsed(optimizer, scheduler, expected.Length);
        Assert.Equal(expected, used);
        Assert.Equal(0.08100000000000002, used[2]);
    }

    [Fact]
    public void The_running_product_differs_from_the_closed_form_in_the_last_bits()
    {
        // Epoch 3: 0.1·0.9·0.9·0.9 = 0.07290000000000002 (three roundings), while 0.1·pow(0.9, 3) = 0.0729.
        var stepped = SchedulerVectors.Block("ExponentialLR").Numbers("lr_used_in_epoch")[3];
        Assert.Equal(0.0729, ExponentialLr.At(0.1, 0.9, 3));
        Assert.NotEqual(ExponentialLr.At(0.1, 0.9, 3), stepped);
        Assert.Equal(0.0729, stepped, 1e-16);
    }

    [Fact]
    public void Rejects_a_non_positive_gamma()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new ExponentialLr(new FakeOptimizer(0.1), -0.5));
        Assert.Contains("Gamma must be a finite number > 0, got -0.5", ex.Message, StringComparison.Ordinal);
    }
}
