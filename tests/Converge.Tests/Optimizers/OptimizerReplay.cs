using System.Text.Json;
using Converge.Optimizers;
using Converge.Tensors;
using Converge.Tests.Tensors;

namespace Converge.Tests.Optimizers;

/// <summary>
/// Replays one run of vectors.json → optimizers: minimize Σ(p − t)² from p0 for five steps and
/// compare the loss, the gradient and the parameters after every step with PyTorch (float64).
/// </summary>
/// <remarks>
/// Tolerance: relative 1e-6 plus absolute 1e-6. p0 and t are exact in float32, but moments and
/// parameters are float32, so each step adds a few ulps (6e-8 relative) of rounding and five
/// steps accumulate them. Observed: parameters within 4e-7 absolute (8e-7 relative away from 0),
/// losses within 3.3e-7 relative.
/// </remarks>
internal static class OptimizerReplay
{
    public const double Relative = 1e-6;
    public const double Absolute = 1e-6;

    public static JsonElement Run(string name) => ReferenceVectors.Load("optimizers").GetProperty("runs").GetProperty(name);

    public static JsonElement Settings(string name) => Run(name).GetProperty("all_group_settings");

    public static void Replay(string name, Func<Tensor, Optimizer> create)
    {
        var vectors = ReferenceVectors.Load("optimizers");
        var run = vectors.GetProperty("runs").GetProperty(name);
        var p = Tensor.Parameter(ReferenceVectors.Floats(vectors, "p0"), 4);
        var t = new Tensor(ReferenceVectors.Floats(vectors, "t"), 4);
        var optimizer = create(p);
        var losses = ReferenceVectors.Doubles(run, "loss_before_step");
        var grads = run.GetProperty("grad_before_step");
        var paramsAfter = run.GetProperty("params_after_step");
        for (var step = 0; step < vectors.GetProperty("steps").GetInt32(); step++)
        {
            optimizer.ZeroGrad();
            var loss = (p - t).Pow(2f).Sum();
            ReferenceVectors.Close(losses[step], loss.Item(), Relative, Absolute, $"{name} loss before step {step + 1}");
            loss.Backward();
            ReferenceVectors.Close(ReferenceVectors.Doubles(grads[step]), p.Grad!, Relative, Absolute, $"{name} grad before step {step + 1}");
            optimizer.Step();
            ReferenceVectors.Close(ReferenceVectors.Doubles(paramsAfter[step]), p.Data, Relative, Absolute, $"{name} params after step {step + 1}");
        }
        ReferenceVectors.Close(ReferenceVectors.Doubles(run, "final_params"), p.Data, Relative, Absolute, $"{name} final params");
    }
}
