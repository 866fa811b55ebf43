using System.Globalization;
using System.Text;
using Converge.Data;

namespace Converge.Benchmarks;

/// <summary>
/// What `converge predict` does as a whole process, for start-up measurements with hyperfine:
/// `predict-fixture DIR` trains a model on circles and writes DIR/model + DIR/rows-1000.csv;
/// `predict MODEL CSV` loads the model, reads the CSV, predicts and writes one probability per line.
/// </summary>
internal static class PredictProcess
{
    public static int Fixture(string directory)
    {
        Directory.CreateDirectory(directory);
        var train = CsvTable.Read(new StringReader(BuiltInData.CirclesCsv()), "circles");
        var fit = BinaryClassifier.Fit(train, new ClassifierOptions { Label = "label", Preset = TrainingPreset.Fast, Training = new Training.TrainingOptions { Epochs = 20 } });
        var model = Path.Combine(directory, "circles.model");
        fit.Classifier.Save(model);
        File.WriteAllText(Path.Combine(directory, "rows-1000.csv"), BuiltInData.CirclesCsv(samples: 1000, seed: 7));
        Console.WriteLine(model);
        return 0;
    }

    public static int Predict(string modelPath, string csvPath)
    {
        var classifier = BinaryClassifier.Load(modelPath);
        var probabilities = classifier.PredictProbabilities(CsvTable.Read(csvPath));
        var text = new StringBuilder("probability\n");
        foreach (var p in probabilities) text.Append(p.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        using var stdout = Console.OpenStandardOutput();
        stdout.Write(Encoding.UTF8.GetBytes(text.ToString()));
        return 0;
    }
}
