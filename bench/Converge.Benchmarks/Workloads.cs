using Converge.Data;
using Converge.Losses;
using Converge.Modules;
using Converge.Tensors;

namespace Converge.Benchmarks;

/// <summary>
/// The benchmark workloads W1–W4 of docs/performance.md, built exactly as the peers build them:
/// the same data, initial weights drawn from the shared SplitMix64 stream, and the same minibatch order.
/// </summary>
public static class Workloads
{
    public const int W3Rows = 100_000;
    public const int W3Cols = 32;
    public const int W3Hidden = 256;

    /// <summary>W4's batch: 100,000 rows are predicted in calls of this many rows.</summary>
    public const int W4BatchRows = 4096;

    /// <summary>W1: hr.11839, x standardized in double (mean, unbiased std) then float32; 1-4-1 sigmoid; BCE; Adam 0.01.</summary>
    public static Workload W1(bool standardized = true)
    {
        var bpm = BuiltInData.HeartRate();
        var x = new float[bpm.Length];
        if (standardized)
        {
            var mean = bpm.Average();
            var sumSquares = bpm.Sum(v => (v - mean) * (v - mean));
            var std = Math.Sqrt(sumSquares / (bpm.Length - 1));
            for (var i = 0; i < bpm.Length; i++) x[i] = (float)((bpm[i] - mean) / std);
        }
        else
        {
            for (var i = 0; i < bpm.Length; i++) x[i] = (float)bpm[i];
        }
        var model = new Sequential(Linear(1, 4, 11, 0), new Sigmoid(), Linear(4, 1, 11, 1), new Sigmoid());
        return new Workload(standardized ? "W1" : "W1-raw", model, new BceLoss(), 0.01, x, BuiltInData.HeartRateLabels(), bpm.Length, 1,
            batchSize: bpm.Length, epochs: 1000, outputIsProbability: true);
    }

    /// <summary>W2: circles-500 (scikit-learn's make_circles, regenerated bit for bit); 2-4-1 sigmoid; BCE; Adam 0.1.</summary>
    public static Workload W2()
    {
        var (points, labels) = BuiltInData.Circles();
        var x = Array.ConvertAll(points, static v => (float)v);
        var model = new Sequential(Linear(2, 4, 21, 0), new Sigmoid(), Linear(4, 1, 21, 1), new Sigmoid());
        return new Workload("W2", model, new BceLoss(), 0.1, x, labels, labels.Length, 2,
            batchSize: labels.Length, epochs: 1000, outputIsProbability: true);
    }

    /// <summary>W3: 100,000 × 32 synthetic rows; 32-256-256-1 ReLU on logits; BCE with logits; Adam 1e-3; batches of 256; 3 epochs.</summary>
    public static Workload W3(int epochs = 3)
    {
        var (x, y) = W3Data();
        return new Workload("W3", W3Model(), new BceWithLogitsLoss(), 1e-3, x, y, W3Rows, W3Cols,
            batchSize: 256, epochs: epochs, outputIsProbability: false);
    }

    /// <summary>The W3 network with its initial weights (seed 31).</summary>
    public static Sequential W3Model() => new(
        Linear(W3Cols, W3Hidden, 31, 0), new ReLU(),
        Linear(W3Hidden, W3Hidden, 31, 1), new ReLU(),
        Linear(W3Hidden, 1, 31, 2));

    /// <summary>
    /// X = normal(1001, ·) row-major as float32; f = Σⱼ (w1ⱼ·xⱼ + 0.5·w2ⱼ·xⱼ²) in double over the float32
    /// values; y = f &gt; median(f).
    /// </summary>
    public static (float[] X, float[] Y) W3Data()
    {
        var x = new float[W3Rows * W3Cols];
        for (var i = 0; i < x.Length; i++) x[i] = (float)Generator.Normal(1001, (ulong)i);
        var w1 = new double[W3Cols];
        var w2 = new double[W3Cols];
        for (var j = 0; j < W3Cols; j++)
        {
            w1[j] = (float)Generator.Normal(1002, (ulong)j);
            w2[j] = (float)Generator.Normal(1003, (ulong)j);
        }
        var f = new double[W3Rows];
        for (var r = 0; r < W3Rows; r++)
        {
            var sum = 0d;
            for (var j = 0; j < W3Cols; j++)
            {
                double v = x[r * W3Cols + j];
                sum += w1[j] * v + 0.5 * w2[j] * v * v;
            }
            f[r] = sum;
        }
        var sorted = (double[])f.Clone();
        Array.Sort(sorted);
        var median = (sorted[W3Rows / 2 - 1] + sorted[W3Rows / 2]) / 2;
        var y = new float[W3Rows];
        for (var r = 0; r < W3Rows; r++) y[r] = f[r] > median ? 1f : 0f;
        return (x, y);
    }

    /// <summary>The row order of epoch <paramref name="epoch"/> (0-based): the stable argsort of splitmix64(4000 + epoch, i).</summary>
    public static int[] EpochOrder(int epoch, int rows)
    {
        var order = new int[rows];
        EpochOrder(epoch, new ulong[rows], order);
        return order;
    }

    /// <summary>Writes the order of <paramref name="epoch"/> into <paramref name="order"/>, using <paramref name="keys"/> as scratch (no allocation).</summary>
    public static void EpochOrder(int epoch, ulong[] keys, int[] order)
    {
        for (var i = 0; i < order.Length; i++)
        {
            keys[i] = Generator.SplitMix64(4000 + (ulong)epoch, (ulong)i);
            order[i] = i;
        }
        // Array.Sort is not stable, but with distinct keys every sort gives the stable argsort.
        Array.Sort(keys, order);
        for (var i = 1; i < keys.Length; i++)
            if (keys[i] == keys[i - 1]) throw new InvalidOperationException($"Epoch {epoch}: equal keys; a stable sort is needed.");
    }

    /// <summary>Linear layer <paramref name="layer"/> (0-based) with W[k] = (2·u(S+2l, k) − 1)/√in and b[k] = (2·u(S+2l+1, k) − 1)/√in.</summary>
    public static Linear Linear(int inFeatures, int outFeatures, ulong seed, int layer)
    {
        var linear = new Linear(inFeatures, outFeatures);
        var bound = Math.Sqrt(inFeatures);
        var weight = linear.Weight.Data;
        for (var k = 0; k < weight.Length; k++)
            weight[k] = (float)((2 * Generator.Uniform(seed + 2 * (ulong)layer, (ulong)k) - 1) / bound);
        var bias = linear.Bias!.Data;
        for (var k = 0; k < bias.Length; k++)
            bias[k] = (float)((2 * Generator.Uniform(seed + 2 * (ulong)layer + 1, (ulong)k) - 1) / bound);
        return linear;
    }
}
