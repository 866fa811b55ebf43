using Converge.Kernels;

namespace Converge.Tests.Api;

public class EngineTests
{
    [Fact]
    public void Using_one_core_or_all_gives_bit_identical_products()
    {
        const int m = 300, n = 256, k = 256;   // large enough to be split over the cores
        var rng = new Random(5);
        var a = Enumerable.Range(0, m * k).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
        var b = Enumerable.Range(0, k * n).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
        var single = new float[m * n];
        var parallel = new float[m * n];
        Gemm.Multiply(a, b, single, m, n, k, false, true, false, GemmPath.Auto, GemmThreading.SingleThread);
        Gemm.Multiply(a, b, parallel, m, n, k, false, true, false, GemmPath.Auto, GemmThreading.Parallel);
        Assert.Equal(single, parallel);
    }

    [Fact]
    public void The_setting_maps_to_the_kernels_threading()
    {
        var before = Engine.UseAllCores;
        try
        {
            Engine.UseAllCores = false;
            Assert.False(Engine.UseAllCores);
            Engine.UseAllCores = true;
            Assert.True(Engine.UseAllCores);
        }
        finally
        {
            Engine.UseAllCores = before;
        }
    }
}
