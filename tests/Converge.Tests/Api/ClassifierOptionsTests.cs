using Converge.Training;

namespace Converge.Tests.Api;

public class ClassifierOptionsTests
{
    [Fact]
    public void The_default_is_the_best_preset_with_its_tuned_members()
    {
        var options = new ClassifierOptions { Label = "y" };
        Assert.Equal(TrainingPreset.Best, options.Preset);
        Assert.Equal([128, 128], options.Training.Hidden);
        Assert.Equal(1e-3, options.Training.LearningRate);
        Assert.Equal(ClassifierOptions.DefaultMembers, options.ResolveMembers(rows: 100, minority: 40));
    }

    [Fact]
    public void Fast_is_one_network_with_the_training_options_defaults()
    {
        var options = new ClassifierOptions { Label = "y", Preset = TrainingPreset.Fast };
        var plain = new TrainingOptions();
        Assert.Equal(plain.Hidden, options.Training.Hidden);
        Assert.Equal(plain.LearningRate, options.Training.LearningRate);
        Assert.Equal(plain.ValidationSplit, options.Training.ValidationSplit);
        Assert.Equal(1, options.ResolveMembers(rows: 100, minority: 40));
        // Switching the preset of a copy switches the training it has not been given.
        Assert.Equal([128, 128], (options with { Preset = TrainingPreset.Best }).Training.Hidden);
    }

    [Fact]
    public void Training_given_explicitly_wins_over_the_preset()
    {
        var options = new ClassifierOptions { Label = "y", Training = new TrainingOptions { Hidden = [8] } };
        Assert.Equal([8], options.Training.Hidden);
        Assert.Equal([8], (options with { Preset = TrainingPreset.Fast }).Training.Hidden);
    }

    [Fact]
    public void Best_cross_fits_small_tables_only_unless_members_are_asked_for()
    {
        var best = new ClassifierOptions { Label = "y" };
        Assert.Equal(ClassifierOptions.DefaultMembers, best.ResolveMembers(ClassifierOptions.MaxCrossFitRows, 5_000));
        Assert.Equal(1, best.ResolveMembers(ClassifierOptions.MaxCrossFitRows + 1, 5_000));
        Assert.Equal(5, (best with { Members = 5 }).ResolveMembers(1_000_000, 400_000));
        Assert.Equal(3, best.ResolveMembers(1_000, 3));
    }
}
