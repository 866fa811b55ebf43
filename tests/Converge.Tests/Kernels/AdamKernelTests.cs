using Converge.Kernels;

namespace Converge.Tests.Kernels;

/// <summary>The fused vectorized Adam update against the textbook formulas in double, over lengths with and without a tail.</summary>
public class AdamKernelTests
{
    [Theory]
    [InlineData(37)]
    [InlineData(8)]
    [InlineData(3)]
    public void Five_steps_match_adam_in_double(int n)
    {
        var random = new Random(n);
        var theta = Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var (m, v) = (new float[n], new float[n]);
        var (dt, dm, dv) = (theta.Select(t => (double)t).ToArray(), new double[n], new double[n]);
        const double Lr = 0.01, B1 = 0.9, B2 = 0.999, Eps = 1e-8;
        for (var step = 1; step <= 5; step++)
        {
            var grad = Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
            var (bc1, bc2Sqrt) = (1 - Math.Pow(B1, step), Math.Sqrt(1 - Math.Pow(B2, step)));
            AdamKernel.Update(theta, grad, m, v, (float)B1, (float)B2, (float)(1 - B1), (float)(1 - B2), (float)(Lr / bc1), (float)bc2Sqrt, (float)Eps);
            for (var i = 0; i < n; i++)
            {
                dm[i] = (B1 * dm[i]) + ((1 - B1) * grad[i]);
                dv[i] = (B2 * dv[i]) + ((1 - B2) * grad[i] * grad[i]);
                dt[i] -= Lr / bc1 * dm[i] / ((Math.Sqrt(dv[i]) / bc2Sqrt) + Eps);
            }
        }
        for (var i = 0; i < n; i++)
        {
            Assert.True(Math.Abs(theta[i] - dt[i]) <= (1e-6 * Math.Abs(dt[i])) + 1e-6, $"θ[{i}] = {theta[i]}, double {dt[i]}");
            // m sums gradients of both signs: its error is relative to the terms (~0.05), not to m itself.
            Assert.True(Math.Abs(m[i] - dm[i]) <= (1e-6 * Math.Abs(dm[i])) + 1e-7, $"m[{i}] = {m[i]}, double {dm[i]}");
        }
    }
}
