using Converge.Data;
using Converge.Training;

namespace Converge.Tests.Training;

public class TrainingLoopTests
{
    private static TrainingData Circles()
    {
        var (x, y) = BuiltInData.Circles(101);
        return new TrainingData([.. x.Select(static v => (float)v)], y, y.Length, 2);
    }

    [Fact]
    public void A_batch_size_of_one_trains_every_row_instead_of_diverging()
    {
        var run = TabularRecipe.Fit(Circles(), null, new TrainingOptions { BatchSize = 1, Epochs = 3, Hidden = [4] });
        Assert.Equal(StopReason.Completed, run.StopReason);
        Assert.All(run.History, h => Assert.True(double.IsFinite(h.TrainLoss)));
    }

    [Fact]
    public void A_trailing_single_row_is_skipped_but_the_epoch_still_records_gradients()
    {
        // 101 rows in batches of 10: ten batches and one left-over row, which BatchNorm cannot normalize.
        var run = TabularRecipe.Fit(Circles(), null, new TrainingOptions { BatchSize = 10, Epochs = 2, Normalize = Normalization.BatchNorm, MonitorEvery = 1 });
        Assert.Equal(StopReason.Completed, run.StopReason);
        Assert.All(run.History, h => Assert.NotEmpty(h.Monitor!.GradientNorms));
        Assert.Contains(run.History[0].Monitor!.GradientNorms.Values, norm => norm > 0);
    }

    [Fact]
    public void Batch_size_one_with_BatchNorm_is_refused_up_front()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new TrainingOptions { BatchSize = 1, Normalize = Normalization.BatchNorm }.Validate());
        Assert.Contains("BatchNorm1d", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_validation_the_best_epoch_is_the_last_one_whose_weights_are_kept()
    {
        var run = TabularRecipe.Fit(Circles(), null, new TrainingOptions { Epochs = 5, Hidden = [4] });
        Assert.Equal(run.History.Count, run.BestEpoch);
    }
}
