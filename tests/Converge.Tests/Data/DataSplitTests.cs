using Converge.Data;

namespace Converge.Tests.Data;

public class DataSplitTests
{
    private static float[] Labels(int zeros, int ones) =>
        [.. Enumerable.Range(0, zeros + ones).Select(i => i % 3 == 0 && i / 3 < ones ? 1f : 0f)];

    [Fact]
    public void Each_class_is_split_in_proportion_and_rows_are_partitioned()
    {
        var labels = Labels(100, 50);
        Assert.Equal(50, labels.Count(v => v == 1f));
        var (train, validation) = DataSplit.Stratified(labels, 0.2, seed: 7);
        Assert.Equal(10, validation.Count(i => labels[i] == 1f));   // 0.2 × 50
        Assert.Equal(20, validation.Count(i => labels[i] == 0f));   // 0.2 × 100
        Assert.Equal(Enumerable.Range(0, 150), train.Concat(validation).Order());
        Assert.True(train.SequenceEqual(train.Order()));
    }

    [Fact]
    public void Same_seed_same_split_other_seed_other_split()
    {
        var labels = Labels(60, 40);
        var a = DataSplit.Stratified(labels, 0.25, 42);
        var b = DataSplit.Stratified(labels, 0.25, 42);
        var c = DataSplit.Stratified(labels, 0.25, 43);
        Assert.Equal(a.Validation, b.Validation);
        Assert.Equal(a.Train, b.Train);
        Assert.NotEqual(a.Validation, c.Validation);
    }

    [Fact]
    public void Zero_fraction_puts_everything_in_train()
    {
        var split = DataSplit.Stratified(Labels(5, 3), 0, 1);
        Assert.Empty(split.Validation);
        Assert.Equal(Enumerable.Range(0, 8), split.Train);
    }

    [Fact]
    public void A_class_is_never_emptied_from_training()
    {
        var split = DataSplit.Stratified([0f, 0f, 0f, 1f], 0.6, 1);
        Assert.Contains(3, split.Train);
    }

    [Fact]
    public void Bad_arguments_are_named()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => DataSplit.Stratified([0f, 1f], 1.0, 1));
        Assert.Contains("got 1", ex.Message, StringComparison.Ordinal);
        var bad = Assert.Throws<ArgumentException>(() => DataSplit.Stratified([0f, 0.5f], 0.2, 1));
        Assert.Contains("got 0.5 at row 1", bad.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => DataSplit.Stratified([], 0.2, 1));
    }
}
