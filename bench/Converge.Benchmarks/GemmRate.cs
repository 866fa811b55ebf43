using System.Diagnostics;
using System.Globalization;
using Converge.Kernels;

namespace Converge.Benchmarks;

/// <summary>
/// `-- gemm-rate`: GFLOP/s of the W3 products (256³: h·W2ᵀ, G·W2, Gᵀ·H) on both cores and on one, as
/// the median of 15 timings of 20 calls each (a quick, side-by-side-friendly complement to KernelBenchmarks).
/// </summary>
internal static class GemmRate
{
    public static int Run()
    {
        const int M = 256, N = 256, K = 256;
        var random = new Random(1);
        var a = Enumerable.Range(0, M * K).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        var b = Enumerable.Range(0, K * N).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        var c = new float[M * N];
        foreach (var (name, ta, tb) in new[] { ("h·W2ᵀ", false, true), ("G·W2", false, false), ("Gᵀ·H", true, false) })
            foreach (var threading in new[] { GemmThreading.Parallel, GemmThreading.SingleThread })
            {
                var rates = new double[15];
                for (var i = 0; i < 20; i++) Gemm.Multiply(a, b, c, M, N, K, ta, tb, false, GemmPath.Auto, threading);
                for (var r = 0; r < rates.Length; r++)
                {
                    var start = Stopwatch.GetTimestamp();
                    for (var i = 0; i < 20; i++) Gemm.Multiply(a, b, c, M, N, K, ta, tb, false, GemmPath.Auto, threading);
                    rates[r] = 20 * 2.0 * M * N * K / Stopwatch.GetElapsedTime(start).TotalSeconds / 1e9;
                }
                Array.Sort(rates);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{{\"gemm\":\"256³ {name}\",\"path\":\"{Gemm.BestPath}\",\"threads\":\"{(threading == GemmThreading.Parallel ? "both cores" : "one core")}\",\"gflops_median\":{rates[7]:F1},\"gflops_max\":{rates[^1]:F1}}}"));
            }
        return 0;
    }
}
