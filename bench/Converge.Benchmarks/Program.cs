using BenchmarkDotNet.Running;

namespace Converge.Benchmarks;

internal static class Program
{
    private static int Main(string[] args)
    {
        if (args.Length == 2 && args[0] == "workload") return WorkloadRunner.Run(args[1]);
        if (args.Length == 2 && args[0] == "profile") return WorkloadRunner.Profile(args[1]);
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
