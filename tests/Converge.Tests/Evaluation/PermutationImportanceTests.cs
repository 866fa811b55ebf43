using Converge.Evaluation;

namespace Converge.Tests.Evaluation;

public class PermutationImportanceTests
{
    [Theory]
    [InlineData("roc_auc", ImportanceScore.RocAuc)]
    [InlineData("log_loss", ImportanceScore.LogLoss)]
    [InlineData("accuracy", ImportanceScore.Accuracy)]
    public void Matches_scikit_learn_permutation_importance(string name, ImportanceScore score)
    {
        var (features, labels) = SklearnReference.Table;
        var expected = SklearnReference.Expected.GetProperty("permutation_importance").GetProperty(name);
        var options = new PermutationImportanceOptions
        {
            Repeats = expected.GetProperty("repeats").GetInt32(),
            Seed = expected.GetProperty("seed").GetUInt32(),
            Score = score,
        };
        var result = PermutationImportance.Compute(SklearnReference.Model, features, labels, SklearnReference.Rows, SklearnReference.Cols,
            PermutationImportance.SingleFeatures(["x1", "x2", "x3", "x4"]), options);

        var mean = SklearnReference.Doubles(expected.GetProperty("mean"));
        var std = SklearnReference.Doubles(expected.GetProperty("std"));
        var drops = expected.GetProperty("drops").EnumerateArray().Select(SklearnReference.Doubles).ToArray();
        for (var f = 0; f < mean.Length; f++)
        {
            Assert.Equal(mean[f], result[f].Mean, 1e-12);
            Assert.Equal(std[f], result[f].StandardDeviation, 1e-12);
            for (var r = 0; r < options.Repeats; r++) Assert.Equal(drops[f][r], result[f].Drops[r], 1e-12);
        }
        // x4 has weight 0: shuffling it changes nothing.
        Assert.Equal(0, result[3].Mean);
        Assert.Equal(features, SklearnReference.Table.Features);
    }

    [Fact]
    public void A_group_is_shuffled_as_one_and_the_input_is_left_untouched()
    {
        // Feature 1 copies feature 0 in rows 0–19 and negates it in rows 20–39. Shuffled as one group the
        // rows move as whole pairs, so every call still sees 20 copying rows; shuffled apart, the pairs mix.
        var rows = 40;
        var x = new float[rows * 2];
        var y = new float[rows];
        for (var i = 0; i < rows; i++)
        {
            x[i * 2] = i % 2;
            x[(i * 2) + 1] = i < 20 ? i % 2 : 1 - (i % 2);
            y[i] = i % 2;
        }
        var copying = new List<int>();
        float[] Model(float[] features, int n)
        {
            copying.Add(Enumerable.Range(0, n).Count(i => features[i * 2] == features[(i * 2) + 1]));
            return [.. Enumerable.Range(0, n).Select(i => features[i * 2] == 1 ? 0.8f : 0.3f)];
        }
        var copy = (float[])x.Clone();
        var together = PermutationImportance.Compute(Model, x, y, rows, 2, [new FeatureGroup("pair", [0, 1])]);
        Assert.All(copying, static c => Assert.Equal(20, c));
        Assert.True(together[0].Mean > 0.2, $"{together[0].Mean}");
        Assert.Equal(copy, x);

        copying.Clear();
        var apart = PermutationImportance.Compute(Model, x, y, rows, 2, PermutationImportance.SingleFeatures(["a", "b"]));
        Assert.Contains(copying, static c => c != 20);
        Assert.Equal(0, apart[1].Mean);
        Assert.Equal(5, apart[0].Drops.Count);
        Assert.Equal(copy, x);
    }

    [Fact]
    public void Rejects_a_group_naming_a_missing_feature()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PermutationImportance.Compute(SklearnReference.Model,
            new float[8], [0, 1], 2, 4, [new FeatureGroup("x9", [9])]));
    }
}
