using System.Diagnostics;
using System.Globalization;
using System.Text;
using Converge.Training;

namespace Converge.Benchmarks;

/// <summary>
/// `-- workload W1|W1-raw|W2|W3|W4`: runs one workload's protocol and prints one JSON line.
/// Timing covers the training loop only; W1/W2 repeat the whole 1000-step protocol from fresh
/// weights and report the median run.
/// </summary>
internal static class WorkloadRunner
{
    private const int Repeats = 7;

    public static int Run(string name)
    {
        var fields = name.ToUpperInvariant() switch
        {
            "W1" => FullBatch(() => Workloads.W1()),
            "W1-RAW" => FullBatch(() => Workloads.W1(standardized: false)),
            "W2" => FullBatch(Workloads.W2),
            "W3" => Minibatch(),
            "W4" => Inference(),
            _ => null,
        };
        if (fields is null)
        {
            Console.Error.WriteLine($"unknown workload '{name}': use W1, W1-raw, W2, W3 or W4");
            return 2;
        }
        var json = new StringBuilder("{\"workload\":\"").Append(name).Append('"');
        foreach (var (key, value) in fields)
        {
            json.Append(",\"").Append(key).Append("\":");
            json.Append(value switch
            {
                string s => "\"" + s + "\"",
                double d => d.ToString("R", CultureInfo.InvariantCulture),
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                _ => value.ToString(),
            });
        }
        Console.WriteLine(json.Append('}').ToString());
        return 0;
    }

    private static List<(string, object)> FullBatch(Func<Workload> create)
    {
        var times = new double[Repeats];
        Workload? last = null;
        // Warm up for a second: tiered JIT promotes the step's closures to optimized code only after
        // 30 calls and a 100 ms delay, so a short warm-up would time tier-0 code.
        var warmupStart = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(warmupStart).TotalSeconds < 1) create().Train();
        for (var r = 0; r < Repeats; r++)
        {
            var workload = create();
            var start = Stopwatch.GetTimestamp();
            workload.Train();
            times[r] = Stopwatch.GetElapsedTime(start).TotalMicroseconds / workload.Epochs;
            last = workload;
        }
        var (loss, accuracy) = last!.Evaluate();
        Array.Sort(times);
        return
        [
            ("us_per_step", Math.Round(times[Repeats / 2], 3)), ("us_per_step_min", Math.Round(times[0], 3)),
            ("us_per_step_max", Math.Round(times[^1], 3)), ("steps", last.Epochs), ("runs", Repeats),
            ("final_loss", (double)(float)loss), ("accuracy", accuracy), ("last_step_loss", (double)last.LastLoss),
        ];
    }

    private static List<(string, object)> Minibatch()
    {
        var workload = Workloads.W3();
        var epochs = new double[workload.Epochs];
        var lossSum = 0d;
        for (var e = 0; e < workload.Epochs; e++)
        {
            var start = Stopwatch.GetTimestamp();
            for (var s = 0; s < workload.StepsPerEpoch; s++) lossSum += workload.Step();   // the loss is read every step
            epochs[e] = Stopwatch.GetElapsedTime(start).TotalSeconds;
        }
        var (loss, accuracy) = workload.Evaluate();
        var sorted = (double[])epochs.Clone();
        Array.Sort(sorted);
        return
        [
            ("s_per_epoch", Math.Round(epochs.Average(), 4)), ("s_per_epoch_median", Math.Round(sorted[sorted.Length / 2], 4)),
            ("epoch_seconds", "[" + string.Join(" ", epochs.Select(static t => t.ToString("F3", CultureInfo.InvariantCulture))) + "]"),
            ("final_loss", (double)(float)loss), ("accuracy", accuracy),
            ("mean_step_loss", Math.Round(lossSum / (workload.Epochs * workload.StepsPerEpoch), 6)),
        ];
    }

    /// <summary>W4 on the W3 network with its initial weights (the same weights in every peer; the time does not depend on them).</summary>
    private static List<(string, object)> Inference()
    {
        var predictor = Predictor.Create(Workloads.W3Model(), scaler: null, outputIsLogit: true);
        var (x, _) = Workloads.W3Data();
        const int Calls = 10_000;
        var cols = Workloads.W3Cols;
        var checksum = 0d;
        for (var i = 0; i < Calls; i++) checksum += predictor.PredictProbability(x.AsSpan(i * cols, cols));   // warm-up
        var times = new double[Calls];
        checksum = 0;
        for (var i = 0; i < Calls; i++)
        {
            var row = x.AsSpan(i * cols, cols);
            var start = Stopwatch.GetTimestamp();
            var p = predictor.PredictProbability(row);
            times[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            checksum += p;
        }
        Array.Sort(times);
        // The clock's granularity here is ≈ 0.1–0.7 µs, so the median of single calls is coarse: also time all calls as one block.
        var blockStart = Stopwatch.GetTimestamp();
        for (var i = 0; i < Calls; i++) checksum += predictor.PredictProbability(x.AsSpan(i * cols, cols));
        var blockMean = Stopwatch.GetElapsedTime(blockStart).TotalMicroseconds / Calls;
        var probabilities = new float[Workloads.W3Rows];
        predictor.PredictProbabilities(x, probabilities);   // warm-up
        var rates = new double[5];
        for (var r = 0; r < rates.Length; r++)
        {
            var start = Stopwatch.GetTimestamp();
            for (var s = 0; s < Workloads.W3Rows; s += Workloads.W4BatchRows)
            {
                var count = Math.Min(Workloads.W4BatchRows, Workloads.W3Rows - s);
                predictor.PredictProbabilities(x.AsSpan(s * cols, count * cols), probabilities.AsSpan(s, count));
            }
            rates[r] = Workloads.W3Rows / Stopwatch.GetElapsedTime(start).TotalSeconds;
        }
        Array.Sort(rates);
        return
        [
            ("single_row_us", Math.Round(times[Calls / 2], 3)), ("single_row_us_p90", Math.Round(times[Calls * 9 / 10], 3)),
            ("single_row_us_mean_of_block", Math.Round(blockMean, 3)),
            ("batch_rows_per_s", Math.Round(rates[rates.Length / 2])), ("batch_rows_per_s_max", Math.Round(rates[^1])),
            ("mean_probability_first_10000", Math.Round(checksum / (2 * Calls), 6)), ("mean_probability_all", Math.Round(probabilities.Average(), 6)),
        ];
    }

    /// <summary>
    /// `-- profile W1|W1-raw|W2|W3 [steps]`: per-op forward/backward microseconds of one replayed step (fastest of many), plus
    /// the optimizer step, after <paramref name="steps"/> training steps. Without a step count the graph runs on zero rows (the
    /// numbers in docs/performance.md); with one, a full-batch workload's graph runs on its real rows at the trained weights,
    /// so data-dependent costs (saturated units, subnormal gradients) show.
    /// </summary>
    public static int Profile(string name, int? steps = null)
    {
        var workload = name.ToUpperInvariant() switch
        {
            "W1" => Workloads.W1(),
            "W1-RAW" => Workloads.W1(standardized: false),
            "W2" => Workloads.W2(),
            _ => Workloads.W3(),
        };
        for (var i = 0; i < (steps ?? 50); i++) workload.Step();
        var x = Tensors.Tensor.Zeros(Math.Min(workload.BatchSize, workload.Rows), workload.Cols);
        var y = Tensors.Tensor.Zeros(x.Rows, 1);
        if (steps is not null && workload.FullBatch)
        {
            workload.Features.CopyTo(x.Data, 0);
            workload.Labels.CopyTo(y.Data, 0);
        }
        var graph = Tensors.Graph.Capture(workload.Criterion.Forward(workload.Model.Forward(x), y));
        var repeats = workload.FullBatch ? 2000 : 200;
        graph.Profile(repeats / 4);
        var rows = graph.Profile(repeats);
        var (forward, backward) = (0d, 0d);
        foreach (var (op, shape, f, b) in rows)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{op,-22} {shape,-12} fwd {f,9:F2} µs  bwd {b,9:F2} µs"));
            (forward, backward) = (forward + f, backward + b);
        }
        var (adam, zero) = (double.MaxValue, double.MaxValue);
        for (var i = 0; i < repeats; i++)
        {
            var start = Stopwatch.GetTimestamp();
            workload.Optimizer.Step();
            adam = Math.Min(adam, Stopwatch.GetElapsedTime(start).TotalMicroseconds);
            start = Stopwatch.GetTimestamp();
            workload.Optimizer.ZeroGrad();
            zero = Math.Min(zero, Stopwatch.GetElapsedTime(start).TotalMicroseconds);
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"total forward {forward:F2} µs, backward {backward:F2} µs, Adam {adam:F2} µs, ZeroGrad {zero:F2} µs"));
        return 0;
    }
}
