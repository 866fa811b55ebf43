using Converge.Data;
using Converge.Training;

namespace Converge.Tests.Api;

public sealed class RowScorerTests
{
    private static readonly Lazy<(BinaryClassifier Model, CsvTable Table)> Trained = new(() =>
    {
        var table = CsvTable.Read(new StringReader(string.Join('\n', Rows())), "shop.csv");
        var fit = BinaryClassifier.Fit(table, new ClassifierOptions { Label = "bought", Ignore = ["id"], Training = new TrainingOptions { Epochs = 30, Hidden = [8] } });
        return (fit.Classifier, table);
    });

    private static IEnumerable<string> Rows()
    {
        yield return "id,age,city,visits,bought";
        var cities = new[] { "Paris", "Lyon", "Nice" };
        for (var i = 0; i < 300; i++)
        {
            var age = 20 + (i * 7 % 50);
            var visits = i % 11;
            var missing = i % 17 == 0 ? "" : visits.ToString(System.Globalization.CultureInfo.InvariantCulture);
            yield return $"C{i},{age},{cities[i % 3]},{missing},{(visits + (i % 3) > 6 ? "yes" : "no")}";
        }
    }

    [Fact]
    public void A_row_scores_as_the_same_row_of_a_table()
    {
        var (model, table) = Trained.Value;
        var expected = model.PredictProbabilities(table);
        var scorer = model.CreateRowScorer();
        Assert.Equal(["age", "city", "visits"], scorer.Columns);
        for (var r = 0; r < 40; r++)
        {
            var p = scorer.Set("age", table[r, 1]).Set("city", table[r, 2]).Set("visits", table[r, 3]).Predict();
            Assert.Equal(expected[r], p.Probability, 5);
            Assert.Equal(p.Probability >= model.Threshold, p.IsPositive);
            Assert.Equal(p.IsPositive ? "yes" : "no", p.Label);
        }
    }

    [Fact]
    public void Numbers_missing_values_and_dictionaries_mean_what_the_csv_would()
    {
        var (model, _) = Trained.Value;
        var scorer = model.CreateRowScorer();
        var fromText = scorer.Clear().Set("age", "41").Set("city", "Lyon").Set("visits", "3").Predict();
        var fromNumbers = scorer.Clear().Set("age", 41).Set("city", "Lyon").Set("visits", 3.0).Predict();
        Assert.Equal(fromText, fromNumbers);
        var fromPairs = scorer.Predict(new Dictionary<string, string?> { ["age"] = "41", ["city"] = "Lyon", ["visits"] = "3" });
        Assert.Equal(fromText, fromPairs);
        // A missing value is imputed with the training median, as in a CSV with an empty cell.
        var median = model.Preprocessing.Columns.Single(c => c.Name == "visits").ImputeValue!.Value;
        var imputed = scorer.Clear().Set("age", 41).Set("city", "Lyon").Set("visits", double.NaN).Predict();
        Assert.Equal(scorer.Clear().Set("age", 41).Set("city", "Lyon").Set("visits", median).Predict(), imputed);
    }

    [Fact]
    public void Unknown_columns_and_unreadable_values_are_named()
    {
        var scorer = Trained.Value.Model.CreateRowScorer();
        var unknown = Assert.Throws<ArgumentException>(() => scorer.Set("Age", 3));
        Assert.Contains("did you mean 'age'?", unknown.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => scorer.Set("bought", "yes"));
        var bad = Assert.Throws<DataError>(() => scorer.Clear().Set("age", "forty").Predict());
        Assert.Equal("age", bad.Column);
        Assert.Equal("forty", bad.Value);
    }

    [Fact]
    public void Scoring_a_row_of_strings_allocates_nothing()
    {
        var scorer = Trained.Value.Model.CreateRowScorer();
        scorer.Set("age", "41").Set("city", "Nice").Set("visits", "3").Predict();
        // Warm up past tiered compilation's call counting (its one-time bookkeeping may allocate on this thread).
        for (var i = 0; i < 2000; i++) scorer.Set("city", (i & 1) == 0 ? "Nice" : "Paris").Predict();
        var before = GC.GetAllocatedBytesForCurrentThread();
        var sum = 0f;
        for (var i = 0; i < 1000; i++) sum += scorer.Set("city", (i & 1) == 0 ? "Nice" : "Paris").Predict().Probability;
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.InRange(sum, 0f, 1000f);
    }
}
