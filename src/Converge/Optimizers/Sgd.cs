using Converge.Tensors;

namespace Converge.Optimizers;

/// <summary>SGD's settings. PyTorch has no default learning rate for SGD; ours is 0.01.</summary>
public sealed record SgdOptions
{
    public double LearningRate { get; init; } = 0.01;
    public double Momentum { get; init; }
    public double Dampening { get; init; }
    public double WeightDecay { get; init; }
    public bool Nesterov { get; init; }
}

/// <summary>
/// Stochastic gradient descent with momentum, dampening, Nesterov momentum and L2 weight decay,
/// as PyTorch's <c>optim.SGD</c> (Sutskever et al. 2013 for the Nesterov form).
/// </summary>
public sealed class Sgd : Optimizer
{
    private readonly float[]?[] _momentumBuffers;

    public Sgd(IEnumerable<Tensor> parameters, SgdOptions? options = null)
        : base(parameters, (options ?? new SgdOptions()).LearningRate)
    {
        Options = options ?? new SgdOptions();
        if (!(Options.Momentum >= 0)) throw new ArgumentOutOfRangeException(nameof(options), $"Sgd: Momentum must be ≥ 0, got {Options.Momentum}.");
        if (!(Options.WeightDecay >= 0)) throw new ArgumentOutOfRangeException(nameof(options), $"Sgd: WeightDecay must be ≥ 0, got {Options.WeightDecay}.");
        if (Options.Nesterov && (Options.Momentum <= 0 || Options.Dampening != 0))
            throw new ArgumentException($"Sgd: Nesterov momentum requires Momentum > 0 and Dampening = 0, got Momentum {Options.Momentum}, Dampening {Options.Dampening}.", nameof(options));
        MomentumValue = Options.Momentum;
        _momentumBuffers = new float[]?[Parameters.Count];
    }

    public SgdOptions Options { get; }

    /// <summary>The momentum the next step uses (a one-cycle schedule may cycle it).</summary>
    public double MomentumValue { get; set; }

    public override double? Momentum { get => MomentumValue; set => MomentumValue = value ?? Options.Momentum; }

    public override void Step()
    {
        var (lr, mu, dampening, decay) = ((float)LearningRate, (float)MomentumValue, (float)Options.Dampening, (float)Options.WeightDecay);
        for (var index = 0; index < Parameters.Count; index++)
        {
            var parameter = Parameters[index];
            if (parameter.Grad is not { } grad) continue;
            var theta = parameter.Data;
            // d ← g + λθ;  buf ← μ·buf + (1 − dampening)·d (buf ← d on the first step: no dampening);
            // d ← d + μ·buf (Nesterov) or buf;  θ ← θ − lr·d
            var buffer = _momentumBuffers[index];
            var first = buffer is null && mu != 0;
            if (first) buffer = _momentumBuffers[index] = new float[theta.Length];
            for (var i = 0; i < theta.Length; i++)
            {
                var d = decay == 0 ? grad[i] : grad[i] + decay * theta[i];
                if (mu != 0)
                {
                    buffer![i] = first ? d : mu * buffer[i] + (1 - dampening) * d;
                    d = Options.Nesterov ? d + mu * buffer[i] : buffer[i];
                }
                theta[i] -= lr * d;
            }
        }
    }
}
