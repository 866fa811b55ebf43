using BenchmarkDotNet.Running;

namespace Converge.Benchmarks;

internal static class Program
{
    private static int Main(string[] args)
    {
        if (args.Length == 2 && args[0] == "workload") return WorkloadRunner.Run(args[1]);
        if (args.Length == 2 && args[0] == "peer-onnx" && args[1].Equals("W4", StringComparison.OrdinalIgnoreCase)) return OnnxPeer.Run();
        if (args.Length == 1 && args[0] == "gemm-rate") return GemmRate.Run();
        if (args.Length == 2 && args[0] == "profile") return WorkloadRunner.Profile(args[1]);
        if (args.Length == 3 && args[0] == "profile") return WorkloadRunner.Profile(args[1], int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture));
        if (args.Length == 2 && args[0] == "predict-fixture") return PredictProcess.Fixture(args[1]);
        if (args.Length == 3 && args[0] == "predict") return PredictProcess.Predict(args[1], args[2]);
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
