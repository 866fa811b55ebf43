using System.Diagnostics;
using System.Globalization;
using Converge.Export;
using Converge.Training;
using Microsoft.ML.OnnxRuntime;

namespace Converge.Benchmarks;

/// <summary>
/// `-- peer-onnx W4`: ONNX Runtime on W4, the peer of <see cref="WorkloadRunner"/>'s W4. The model is
/// the W3 network with its initial weights, written by Converge's own ONNX export (Gemm, Relu, Sigmoid),
/// so both sides compute the same function from the same weights; the largest difference between the
/// two sides' probabilities over all 100,000 rows is printed as the proof. Inputs and outputs are bound
/// buffers (no allocation per call): one thread for the single row, all cores for the batch.
/// </summary>
internal static class OnnxPeer
{
    public static int Run()
    {
        var network = Workloads.W3Model();
        var builder = new OnnxGraphBuilder();
        var input = builder.AddInput(OnnxExporter.InputName, OnnxElementType.Float, OnnxDim.Batch, Workloads.W3Cols);
        OnnxExporter.AddNetwork(builder, input, network, Workloads.W3Cols, applySigmoid: true);
        builder.AddOutput(OnnxExporter.ProbabilityOutput, OnnxElementType.Float, OnnxDim.Batch, 1);
        var model = builder.Build("w4");
        var (x, _) = Workloads.W3Data();
        const int Cols = Workloads.W3Cols;
        const int Rows = Workloads.W3Rows;

        // Single row: 10,000 calls, each timed, one intra-op thread (as Converge's single-row path).
        double singleMedian, singleP90, singleBlockMean;
        using (var options = Options(threads: 1))
        using (var session = new InferenceSession(model, options))
        using (var run = new RunOptions())
        {
            var row = new float[Cols];
            var probability = new float[1];
            using var rowValue = OrtValue.CreateTensorValueFromMemory(row, [1, Cols]);
            using var outValue = OrtValue.CreateTensorValueFromMemory(probability, [1, 1]);
            using var binding = session.CreateIoBinding();
            binding.BindInput(OnnxExporter.InputName, rowValue);
            binding.BindOutput(OnnxExporter.ProbabilityOutput, outValue);
            const int Calls = 10_000;
            for (var i = 0; i < Calls; i++)
            {
                x.AsSpan(i * Cols, Cols).CopyTo(row);
                session.RunWithBinding(run, binding);
            }
            var times = new double[Calls];
            for (var i = 0; i < Calls; i++)
            {
                x.AsSpan(i * Cols, Cols).CopyTo(row);   // outside the timed region, as on Converge's side (it reads the row in place)
                var start = Stopwatch.GetTimestamp();
                session.RunWithBinding(run, binding);
                times[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            }
            Array.Sort(times);
            (singleMedian, singleP90) = (times[Calls / 2], times[Calls * 9 / 10]);
            var blockStart = Stopwatch.GetTimestamp();
            for (var i = 0; i < Calls; i++)
            {
                x.AsSpan(i * Cols, Cols).CopyTo(row);
                session.RunWithBinding(run, binding);
            }
            singleBlockMean = Stopwatch.GetElapsedTime(blockStart).TotalMicroseconds / Calls;
        }

        // Batch: 100,000 rows in calls of 4,096, all cores; the input is bound in place, row range by row range.
        var probabilities = new float[Rows];
        var rates = new double[5];
        using (var options = Options(threads: Environment.ProcessorCount))
        using (var session = new InferenceSession(model, options))
        using (var run = new RunOptions())
        {
            var calls = new List<(OrtValue In, OrtValue Out, OrtIoBinding Binding)>();
            var xMemory = x.AsMemory();
            var pMemory = probabilities.AsMemory();
            for (var s = 0; s < Rows; s += Workloads.W4BatchRows)
            {
                var count = Math.Min(Workloads.W4BatchRows, Rows - s);
                var inValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, xMemory.Slice(s * Cols, count * Cols), [count, Cols]);
                var outValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, pMemory.Slice(s, count), [count, 1]);
                var binding = session.CreateIoBinding();
                binding.BindInput(OnnxExporter.InputName, inValue);
                binding.BindOutput(OnnxExporter.ProbabilityOutput, outValue);
                calls.Add((inValue, outValue, binding));
            }
            foreach (var call in calls) session.RunWithBinding(run, call.Binding);   // warm-up
            for (var r = 0; r < rates.Length; r++)
            {
                var start = Stopwatch.GetTimestamp();
                foreach (var call in calls) session.RunWithBinding(run, call.Binding);
                rates[r] = Rows / Stopwatch.GetElapsedTime(start).TotalSeconds;
            }
            foreach (var (inValue, outValue, binding) in calls)
            {
                binding.Dispose();
                inValue.Dispose();
                outValue.Dispose();
            }
        }
        Array.Sort(rates);

        // Equal work: Converge's predictor on the same rows.
        var converge = new float[Rows];
        Predictor.Create(network, scaler: null, outputIsLogit: true).PredictProbabilities(x, converge);
        var maxDifference = 0d;
        for (var i = 0; i < Rows; i++) maxDifference = Math.Max(maxDifference, Math.Abs(converge[i] - probabilities[i]));

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"workload\":\"W4\",\"peer\":\"onnxruntime\",\"single_row_us\":{Math.Round(singleMedian, 3)},\"single_row_us_p90\":{Math.Round(singleP90, 3)},\"single_row_us_mean_of_block\":{Math.Round(singleBlockMean, 3)},"
            + $"\"batch_rows_per_s\":{Math.Round(rates[rates.Length / 2])},\"batch_rows_per_s_max\":{Math.Round(rates[^1])},"
            + $"\"mean_probability_first_10000\":{Math.Round(probabilities.AsSpan(0, 10_000).ToArray().Average(), 6)},\"mean_probability_all\":{Math.Round(probabilities.Average(), 6)},"
            + $"\"max_abs_difference_vs_converge\":{maxDifference:G3},\"threads_batch\":{Environment.ProcessorCount}}}"));
        return 0;
    }

    private static SessionOptions Options(int threads) => new()
    {
        GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        IntraOpNumThreads = threads,
        InterOpNumThreads = 1,
        ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
    };
}
