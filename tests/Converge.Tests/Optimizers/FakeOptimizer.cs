using Converge.Optimizers;
using Converge.Tensors;

namespace Converge.Tests.Optimizers;

/// <summary>A test double: one dummy parameter, a no-op step, and an optional settable momentum.</summary>
internal sealed class FakeOptimizer(double learningRate, double? momentum = null)
    : Optimizer([Tensor.Parameter([0f], 1)], learningRate)
{
    private double? _momentum = momentum;

    public int Steps { get; private set; }

    public override double? Momentum
    {
        get => _momentum;
        set => _momentum = value;
    }

    public override void Step() => Steps++;
}
