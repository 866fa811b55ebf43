using Converge.Data;
using Converge.Losses;
using Converge.Modules;
using Converge.Optimizers;
using Converge.Tensors;
using Converge.Training;

namespace Converge.Tests.Api;

/// <summary>The README's C# quickstarts, executed; the README must contain them verbatim. The engine
/// snippet seeds the default generator, so it runs alone.</summary>
[Collection(Converge.Tests.Tensors.DefaultGeneratorCollection.Name)]
public class ReadmeTests
{
    private static string RepositoryFile(string name)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Converge.slnx"))) directory = directory.Parent;
        return Path.Combine(directory?.FullName ?? throw new InvalidOperationException("repository root not found"), name);
    }

    private static void AssertReadmeContains(string snippet)
    {
        var readme = File.ReadAllText(RepositoryFile("README.md")).ReplaceLineEndings("\n");
        foreach (var line in snippet.ReplaceLineEndings("\n").Split('\n').Where(l => l.Trim().Length > 0))
            Assert.Contains(line.TrimEnd(), readme, StringComparison.Ordinal);
    }

    [Fact]
    public void The_engine_quickstart_runs_and_learns_the_raw_heart_rate_series()
    {
        AssertReadmeContains(EngineSnippet);
        // --- README: engine ---
        var bpm = BuiltInData.HeartRate();                       // 1,800 samples around 92 bpm
        var x = new Tensor([.. bpm.Select(v => (float)v)], bpm.Length, 1);
        var y = new Tensor(BuiltInData.HeartRateLabels(), bpm.Length, 1);   // bpm > 91

        Generator.ManualSeed(0);                                 // torch.manual_seed(0): layers draw from this stream
        var model = new Sequential(new BatchNorm1d(1), new Linear(1, 4), new Sigmoid(), new Linear(4, 1));
        var criterion = new BceWithLogitsLoss();
        var optimizer = new Adam(model.Parameters(), new AdamOptions { LearningRate = 0.01 });
        var scheduler = new StepLr(optimizer, stepSize: 500, gamma: 0.5);
        for (var epoch = 0; epoch < 1000; epoch++)
        {
            optimizer.ZeroGrad();
            var loss = criterion.Forward(model.Forward(x), y);
            loss.Backward();
            optimizer.Step();
            scheduler.Step();
        }
        // --- end ---
        model.Eval();
        using var _ = Tensor.NoGrad();
        Assert.True(criterion.Forward(model.Forward(x), y).Item() < 0.1f);
    }

    [Fact]
    public void The_trainer_snippet_trains_the_same_network_through_the_generic_loop()
    {
        AssertReadmeContains(TrainerSnippet);
        var bpm = BuiltInData.HeartRate();
        var x = new Tensor([.. bpm.Select(v => (float)v)], bpm.Length, 1);
        var y = new Tensor(BuiltInData.HeartRateLabels(), bpm.Length, 1);
        Generator.ManualSeed(0);
        var model = new Sequential(new BatchNorm1d(1), new Linear(1, 4), new Sigmoid(), new Linear(4, 1));
        var criterion = new BceWithLogitsLoss();
        var optimizer = new Adam(model.Parameters(), new AdamOptions { LearningRate = 0.01 });
        var scheduler = new StepLr(optimizer, stepSize: 500, gamma: 0.5);
        // --- README: trainer ---
        var result = new Trainer(model, criterion, optimizer, new TrainerOptions { Epochs = 1000, BatchSize = 0 }, scheduler)
            .Fit(new TrainingData(x.Data, y.Data, bpm.Length, 1));
        // --- end ---
        Assert.Equal(1000, result.History.Count);
        Assert.True(result.History[^1].TrainLoss < 0.1, $"final loss {result.History[^1].TrainLoss}");
    }

    private const string TrainerSnippet = """
        var result = new Trainer(model, criterion, optimizer, new TrainerOptions { Epochs = 1000, BatchSize = 0 }, scheduler)
            .Fit(new TrainingData(x.Data, y.Data, bpm.Length, 1));
        """;

    [Fact]
    public void The_classifier_quickstart_trains_saves_loads_and_predicts()
    {
        AssertReadmeContains(ClassifierSnippet);
        var directory = Directory.CreateTempSubdirectory("converge-readme-");
        var previous = Environment.CurrentDirectory;
        try
        {
            Environment.CurrentDirectory = directory.FullName;
            File.Copy(Path.Combine(AppContext.BaseDirectory, "TestData", "breast-cancer", "breast-cancer.csv"), "breast-cancer.csv");
            // --- README: classifier ---
            var table = CsvTable.Read("breast-cancer.csv");
            var fit = BinaryClassifier.Fit(table, new ClassifierOptions { Label = "diagnosis" });
            Console.WriteLine($"validation accuracy {fit.ValidationMetrics!.Accuracy:P1}, ROC AUC {fit.ValidationMetrics.RocAuc:F3}");
            fit.Classifier.Save("cancer.safetensors");

            var model = BinaryClassifier.Load("cancer.safetensors");
            float[] probabilities = model.PredictProbabilities(table);   // P(diagnosis = malignant) per row

            // One row from raw values as a CSV would hold them; columns not set are missing, so imputed.
            var scorer = model.CreateRowScorer();                        // reusable, one per thread
            var one = scorer.Set("mean_radius", "17.99").Set("worst_area", 2019).Predict();
            Console.WriteLine($"{one.Label}: p = {one.Probability:F3}");
            // --- end ---
            Assert.Equal(table.RowCount, probabilities.Length);
            Assert.InRange(one.Probability, 0f, 1f);
            Assert.True(fit.ValidationMetrics.Accuracy > 0.9);
        }
        finally
        {
            Environment.CurrentDirectory = previous;
            directory.Delete(recursive: true);
        }
    }

    private const string EngineSnippet = """
        Generator.ManualSeed(0);                                 // torch.manual_seed(0): layers draw from this stream
        var model = new Sequential(new BatchNorm1d(1), new Linear(1, 4), new Sigmoid(), new Linear(4, 1));
        var criterion = new BceWithLogitsLoss();
        var optimizer = new Adam(model.Parameters(), new AdamOptions { LearningRate = 0.01 });
        var scheduler = new StepLr(optimizer, stepSize: 500, gamma: 0.5);
            optimizer.ZeroGrad();
            var loss = criterion.Forward(model.Forward(x), y);
            loss.Backward();
            optimizer.Step();
            scheduler.Step();
        """;

    private const string ClassifierSnippet = """
        var table = CsvTable.Read("breast-cancer.csv");
        var fit = BinaryClassifier.Fit(table, new ClassifierOptions { Label = "diagnosis" });
        fit.Classifier.Save("cancer.safetensors");
        var model = BinaryClassifier.Load("cancer.safetensors");
        float[] probabilities = model.PredictProbabilities(table);   // P(diagnosis = malignant) per row
        var scorer = model.CreateRowScorer();                        // reusable, one per thread
        var one = scorer.Set("mean_radius", "17.99").Set("worst_area", 2019).Predict();
        Console.WriteLine($"{one.Label}: p = {one.Probability:F3}");
        """;
}
