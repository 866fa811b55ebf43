using System.Globalization;
using Converge.Data;

namespace Converge.Tests.Api;

public class BinaryClassifierTests
{
    private static string TestData(params string[] parts) => Path.Combine([AppContext.BaseDirectory, "TestData", .. parts]);

    /// <summary>Rows with index i % 4 == 3 (0-based) are held out: the split of TestData/baselines/sklearn_baselines.py.</summary>
    private static (CsvTable Train, CsvTable Holdout) FixedSplit(CsvTable table)
    {
        var trainRows = Enumerable.Range(0, table.RowCount).Where(i => i % 4 != 3).ToArray();
        var holdoutRows = Enumerable.Range(0, table.RowCount).Where(i => i % 4 == 3).ToArray();
        CsvTable Subset(int[] rows, string name) => CsvTable.FromColumns(name, table.ColumnNames,
            [.. Enumerable.Range(0, table.ColumnCount).Select(c => (IReadOnlyList<string?>)[.. rows.Select(r => table[r, c])])]);
        return (Subset(trainRows, "train"), Subset(holdoutRows, "holdout"));
    }

    // scikit-learn 1.2.1, make_pipeline(StandardScaler(), MLPClassifier(random_state=0, max_iter=2000)) on the same
    // split (TestData/baselines/sklearn_baselines.py → sklearn_baselines.txt): accuracy 0.97183, ROC AUC 0.99649.
    [Fact]
    public void Defaults_on_breast_cancer_are_within_one_point_of_scikit_learn()
    {
        var (train, holdout) = FixedSplit(CsvTable.Read(TestData("breast-cancer", "breast-cancer.csv")));
        var fit = BinaryClassifier.Fit(train, new ClassifierOptions { Label = "diagnosis" });
        Assert.Equal("malignant", fit.Classifier.Label.Positive);
        var metrics = fit.Classifier.Evaluate(holdout);
        Assert.True(metrics.Accuracy >= 0.97183 - 0.01, $"accuracy {metrics.Accuracy}");
        Assert.True(metrics.RocAuc >= 0.99649 - 0.01, $"ROC AUC {metrics.RocAuc}");
    }

    // Same script, heart-rate series (x = bpm, y = bpm > 91): accuracy 1.0, ROC AUC 1.0.
    [Fact]
    public void Defaults_on_heart_rate_are_within_one_point_of_scikit_learn()
    {
        var bpm = BuiltInData.HeartRate();
        var column = bpm.Select(v => (string?)v.ToString("R", CultureInfo.InvariantCulture)).ToArray();
        var label = bpm.Select(v => (string?)(v > 91 ? "1" : "0")).ToArray();
        var (train, holdout) = FixedSplit(CsvTable.FromColumns("hr", ["bpm", "high"], [column, label]));
        var fit = BinaryClassifier.Fit(train, new ClassifierOptions { Label = "high" });
        var metrics = fit.Classifier.Evaluate(holdout);
        Assert.True(metrics.Accuracy >= 0.99, $"accuracy {metrics.Accuracy}");
        Assert.True(metrics.RocAuc >= 0.99, $"ROC AUC {metrics.RocAuc}");
    }

    [Fact]
    public void Save_then_load_predicts_identical_probabilities()
    {
        var table = CsvTable.Read(TestData("breast-cancer", "breast-cancer.csv"));
        var fit = BinaryClassifier.Fit(table, new ClassifierOptions { Label = "diagnosis", Training = new() { Epochs = 20 } });
        var path = Path.Combine(Path.GetTempPath(), $"converge-{Guid.NewGuid():N}.safetensors");
        try
        {
            fit.Classifier.Save(path);
            var loaded = BinaryClassifier.Load(path);
            Assert.Equal(fit.Classifier.PredictProbabilities(table), loaded.PredictProbabilities(table));
            Assert.Equal(fit.Classifier.Threshold, loaded.Threshold);
            Assert.Equal(fit.Classifier.FeatureNames, loaded.FeatureNames);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_changed_digit_in_the_saved_metadata_is_reported_as_corruption()
    {
        var table = CsvTable.Read(TestData("breast-cancer", "breast-cancer.csv"));
        var fit = BinaryClassifier.Fit(table, new ClassifierOptions { Label = "diagnosis", Training = new() { Epochs = 2 } });
        var path = Path.Combine(Path.GetTempPath(), $"converge-{Guid.NewGuid():N}.safetensors");
        try
        {
            fit.Classifier.Save(path);
            var bytes = File.ReadAllBytes(path);
            // The first digit of the scaler's first mean: still valid JSON and a valid scaler, so only a checksum can tell.
            var at = bytes.AsSpan().IndexOf("\\\"Mean\\\":["u8);
            Assert.True(at > 0, "the scaler mean is in the header");
            var digit = Array.FindIndex(bytes, at, b => b is >= (byte)'0' and <= (byte)'9');
            bytes[digit] = (byte)('0' + ((bytes[digit] - '0' + 1) % 10));
            File.WriteAllBytes(path, bytes);
            var error = Assert.Throws<Converge.Persistence.ModelFileException>(() => BinaryClassifier.Load(path));
            Assert.Contains("corrupted", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
