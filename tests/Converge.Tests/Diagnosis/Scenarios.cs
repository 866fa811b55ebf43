using System.Globalization;
using Converge.Data;
using Converge.Modules;
using Converge.Tensors;
using Converge.Training;

namespace Converge.Tests.Diagnosis;

/// <summary>Data sets and options for the planted failures and the healthy controls.</summary>
internal static class Scenarios
{
    /// <summary>The question's network: Linear(1,4) → sigmoid → Linear(4,1) → sigmoid, BCELoss, Adam lr 0.001.</summary>
    public static TrainingOptions Question(Normalization normalize, int epochs = 150) => new()
    {
        Hidden = [4], Activation = Activation.Sigmoid, Loss = LossKind.Bce, LearningRate = 0.001,
        Normalize = normalize, Epochs = epochs, ValidationSplit = 0, Patience = 0,
    };

    public static TrainingData HeartRate()
    {
        var bpm = BuiltInData.HeartRate();
        return new TrainingData([.. bpm.Select(static v => (float)v)], BuiltInData.HeartRateLabels(), bpm.Length, 1);
    }

    public static TrainingData Circles()
    {
        var (x, y) = BuiltInData.Circles();
        return new TrainingData([.. x.Select(static v => (float)v)], y, y.Length, 2);
    }

    /// <summary>A linearly learnable task: y = 1 when w·x + noise > t, x ~ N(0, 1), with a chosen positive rate.</summary>
    public static TrainingData Linear(int rows, int cols, ulong seed, double positiveRate = 0.5)
    {
        var g = new Generator(seed);
        var x = new float[rows * cols];
        for (var i = 0; i < x.Length; i++) x[i] = (float)Normal(g);
        var score = new double[rows];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < cols; c++) score[r] += x[r * cols + c] / (c + 1.0);
            score[r] += 0.3 * Normal(g);
        }
        var cut = score.Order().ElementAt((int)((1 - positiveRate) * rows));
        return new TrainingData(x, [.. score.Select(s => s >= cut ? 1f : 0f)], rows, cols);
    }

    public static double Normal(Generator g) => g.NextNormal();

    /// <summary>Column <paramref name="col"/> of <paramref name="data"/> mapped through <paramref name="f"/>.</summary>
    public static TrainingData MapColumn(TrainingData data, int col, Func<float, int, float> f)
    {
        var x = (float[])data.Features.Clone();
        for (var r = 0; r < data.Rows; r++) x[r * data.Cols + col] = f(x[r * data.Cols + col], r);
        return data with { Features = x };
    }

    /// <summary>Adds a column computed from the row's label and index.</summary>
    public static TrainingData AddColumn(TrainingData data, Func<float, int, float> f)
    {
        var cols = data.Cols + 1;
        var x = new float[data.Rows * cols];
        for (var r = 0; r < data.Rows; r++)
        {
            data.Features.AsSpan(r * data.Cols, data.Cols).CopyTo(x.AsSpan(r * cols));
            x[r * cols + data.Cols] = f(data.Labels[r], r);
        }
        return new TrainingData(x, data.Labels, data.Rows, cols);
    }

    /// <summary>A bad init: the first Linear's bias set to <paramref name="bias"/> (all its ReLUs dead).</summary>
    public static Action<Sequential> FirstBias(float bias) => model => Array.Fill(model.Layers.OfType<Linear>().First().Bias!.Data, bias);

    public static string Describe(Converge.Diagnosis.DiagnosisReport d) =>
        string.Join("\n", d.Findings.Select(f => string.Create(CultureInfo.InvariantCulture,
            $"{f.Severity} {f.Code}: {f.Message} | {f.Evidence}{(f.Confirmation is { } c ? $" | confirm {c.Tried}: {c.Baseline:G4} → {c.Remedied:G4} gain {c.Gain:G3}" : "")}")));
}
