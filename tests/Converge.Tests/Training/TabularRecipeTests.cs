using Converge.Data;
using Converge.Training;

namespace Converge.Tests.Training;

public class TabularRecipeTests
{
    private static (TrainingData Train, TrainingData Validation) Circles()
    {
        var (x, y) = BuiltInData.Circles();
        var all = new TrainingData([.. x.Select(static v => (float)v)], y, y.Length, 2);
        var split = DataSplit.Stratified(y, 0.2, 7);
        return (all.Select(split.Train), all.Select(split.Validation));
    }

    [Fact]
    public void The_same_seed_gives_bit_identical_weights_and_history()
    {
        var (train, validation) = Circles();
        var options = new TrainingOptions { Epochs = 15, Hidden = [8, 8], Seed = 11 };
        var a = TabularRecipe.Fit(train, validation, options);
        var b = TabularRecipe.Fit(train, validation, options);
        Assert.Equal(a.History.Select(h => h.TrainLoss), b.History.Select(h => h.TrainLoss));
        foreach (var (name, tensor) in a.Model.StateDict())
            Assert.Equal(tensor.Data, b.Model.StateDict()[name].Data);
        var c = TabularRecipe.Fit(train, validation, options with { Seed = 12 });
        Assert.NotEqual(a.Model.StateDict()["0.weight"].Data, c.Model.StateDict()["0.weight"].Data);
    }

    [Fact]
    public void Circles_train_to_high_validation_accuracy_with_the_defaults()
    {
        var (train, validation) = Circles();
        var run = TabularRecipe.Fit(train, validation, new TrainingOptions());
        Assert.True(run.History[run.BestEpoch - 1].ValidationAccuracy >= 0.97, $"accuracy {run.History[run.BestEpoch - 1].ValidationAccuracy}");
        Assert.NotEqual(StopReason.Diverged, run.StopReason);
    }

    [Fact]
    public void A_diverging_run_stops_and_keeps_finite_weights()
    {
        var (train, _) = Circles();
        var scaled = train with { Features = [.. train.Features.Select(static v => v * 1e6f)] };
        var run = TabularRecipe.Fit(scaled, null, new TrainingOptions { Normalize = Normalization.None, Optimizer = OptimizerKind.Sgd, LearningRate = 1e6, Epochs = 50 });
        Assert.Equal(StopReason.Diverged, run.StopReason);
        Assert.NotNull(run.Divergence);
        Assert.All(run.Model.Parameters(), p => Assert.All(p.Data, v => Assert.True(float.IsFinite(v))));
    }

    [Fact]
    public void Early_stopping_restores_the_best_validation_epoch()
    {
        var (train, validation) = Circles();
        var run = TabularRecipe.Fit(train, validation, new TrainingOptions { Epochs = 400, Patience = 5, LearningRate = 0.05 });
        var best = run.History.MinBy(static h => h.ValidationLoss)!;
        Assert.Equal(best.Epoch, run.BestEpoch);
        if (run.StopReason == StopReason.EarlyStopped) Assert.True(run.History.Count >= run.BestEpoch + 5);
    }
}
