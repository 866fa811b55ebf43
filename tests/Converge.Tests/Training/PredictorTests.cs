using Converge.Data;
using Converge.Modules;
using Converge.Tensors;
using Converge.Training;

namespace Converge.Tests.Training;

/// <summary>
/// The allocation-free predictor against the tensor forward pass in eval mode (the reference), for
/// single rows and batches, every supported layer kind, a scaler, and BinaryClassifier.CreatePredictor
/// against PredictProbabilities. Tolerance: 1e-5 absolute on probabilities (summation order differs).
/// </summary>
public class PredictorTests
{
    private const double Tolerance = 1e-5;

    private static float[] Rows(int rows, int cols, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, rows * cols).Select(_ => (float)((random.NextDouble() - 0.5) * 6)).ToArray();
    }

    private static float[] Reference(Sequential network, StandardScaler? scaler, float[] x, int rows, int cols, bool outputIsLogit)
    {
        var scaled = (float[])x.Clone();
        scaler?.Transform(scaled);
        network.Eval();
        using var _ = Tensor.NoGrad();
        var output = network.Forward(new Tensor(scaled, rows, cols)).Data;
        return outputIsLogit ? output.Select(v => (float)(1 / (1 + Math.Exp(-v)))).ToArray() : output;
    }

    public static TheoryData<string> Networks() => ["relu-wide", "every-layer", "sigmoid-output"];

    private static (Sequential Network, int Inputs, bool Logit) Build(string name)
    {
        var generator = new Generator(7);
        switch (name)
        {
            case "relu-wide":
                return (new Sequential(new Linear(32, 256, generator: generator), new ReLU(), new Linear(256, 72, generator: generator), new ReLU(),
                    new Linear(72, 1, generator: generator)), 32, true);
            case "every-layer":
                var norm = new BatchNorm1d(5);
                for (var j = 0; j < 5; j++)
                {
                    norm.RunningMean!.Data[j] = 0.1f * j;
                    norm.RunningVar!.Data[j] = 1 + (0.5f * j);
                    norm.Weight!.Data[j] = 1 - (0.1f * j);
                    norm.Bias!.Data[j] = 0.05f * j;
                }
                return (new Sequential(norm, new Linear(5, 16, generator: generator), new Tanh(), new Dropout(0.3),
                    new Linear(16, 9, generator: generator), new LeakyReLU(0.05f), new Linear(9, 1, generator: generator)), 5, true);
            default:
                return (new Sequential(new Linear(1, 4, generator: generator), new Sigmoid(), new Linear(4, 1, generator: generator), new Sigmoid()), 1, false);
        }
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void Single_rows_and_batches_match_the_tensor_forward_pass(string name)
    {
        var (network, inputs, logit) = Build(name);
        const int RowCount = 600;   // two whole 256-row chunks and a partial one
        var x = Rows(RowCount, inputs, inputs);
        var scaler = StandardScaler.Fit(x, RowCount, inputs);
        var expected = Reference(network, scaler, x, RowCount, inputs, logit);
        var predictor = Predictor.Create(network, scaler, logit);
        Assert.Equal(inputs, predictor.Inputs);
        var batch = new float[RowCount];
        predictor.PredictProbabilities(x, batch);
        for (var r = 0; r < RowCount; r++)
        {
            Assert.True(Math.Abs(batch[r] - expected[r]) <= Tolerance, $"batch row {r}: {batch[r]} vs {expected[r]}");
            if (r % 97 == 0)
            {
                var single = predictor.PredictProbability(x.AsSpan(r * inputs, inputs));
                Assert.True(Math.Abs(single - expected[r]) <= Tolerance, $"row {r}: {single} vs {expected[r]}");
            }
        }
    }

    [Fact]
    public void A_single_row_allocates_nothing()
    {
        var (network, inputs, logit) = Build("relu-wide");
        var predictor = Predictor.Create(network, scaler: null, logit);
        var row = Rows(1, inputs, 3);
        predictor.PredictProbability(row);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var sum = 0f;
        for (var i = 0; i < 1000; i++) sum += predictor.PredictProbability(row);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.InRange(sum, 0f, 1000f);
    }

    [Fact]
    public void Classifier_predictor_matches_PredictProbabilities()
    {
        var (points, labels) = BuiltInData.Circles(200);
        var x = Array.ConvertAll(points, v => (float)v);
        var fit = BinaryClassifier.Fit(x, labels, 200, 2, new TrainingOptions { Epochs = 5, Hidden = [8] });
        var expected = fit.Classifier.PredictProbabilities(x, 200);
        var predictor = fit.Classifier.CreatePredictor();
        for (var r = 0; r < 200; r++)
            Assert.True(Math.Abs(predictor.PredictProbability(x.AsSpan(2 * r, 2)) - expected[r]) <= Tolerance, $"row {r}");
    }

    [Fact]
    public void Wrong_widths_and_unsupported_layers_are_rejected()
    {
        var predictor = Predictor.Create(new Sequential(new Linear(3, 1)), null, outputIsLogit: true);
        var error = Assert.Throws<ArgumentException>(() => predictor.PredictProbability(new float[2]));
        Assert.Contains("expected 3 features, got 2", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Predictor.Create(new Sequential(new Linear(3, 2)), null, outputIsLogit: true));
    }
}
