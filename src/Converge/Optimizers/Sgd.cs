using Converge.Tensors;

namespace Converge.Optimizers;

/// <summary>SGD's settings. PyTorch has no default learning rate for SGD; ours is 0.01. The rest are PyTorch's defaults (0, false).</summary>
public sealed record SgdOptions
{
    /// <summary>The learning rate (no default in PyTorch; 0.01 here).</summary>
    public double LearningRate { get; init; } = 0.01;

    /// <summary>Momentum factor μ (default 0: plain SGD).</summary>
    public double Momentum { get; init; }

    /// <summary>Dampening of the momentum's new term (default 0).</summary>
    public double Dampening { get; init; }

    /// <summary>L2 penalty added to the gradient (default 0); per group in <see cref="Optimizer.ParamGroups"/>.</summary>
    public double WeightDecay { get; init; }

    /// <summary>Nesterov momentum (needs Momentum &gt; 0 and Dampening 0).</summary>
    public bool Nesterov { get; init; }
}

/// <summary>
/// Stochastic gradient descent with momentum, dampening, Nesterov momentum and L2 weight decay,
/// as PyTorch's <c>optim.SGD</c> (Sutskever et al. 2013 for the Nesterov form).
/// </summary>
public sealed class Sgd : Optimizer
{
    private readonly float[]?[] _momentumBuffers;

    /// <summary>SGD over one group of <paramref name="parameters"/>.</summary>
    public Sgd(IEnumerable<Tensor> parameters, SgdOptions? options = null)
        : this([new ParameterGroup(parameters ?? throw new ArgumentNullException(nameof(parameters)))], options)
    {
    }

    /// <summary>SGD over parameter groups; each group's null settings come from <paramref name="options"/>.</summary>
    public Sgd(IEnumerable<ParameterGroup> groups, SgdOptions? options = null)
        : base(groups, (options ?? new SgdOptions()).LearningRate, Math.Max(0, (options ?? new SgdOptions()).WeightDecay))
    {
        Options = options ?? new SgdOptions();
        if (!(Options.Momentum >= 0)) throw new ArgumentOutOfRangeException(nameof(options), $"Sgd: Momentum must be ≥ 0, got {Options.Momentum}.");
        if (!(Options.WeightDecay >= 0)) throw new ArgumentOutOfRangeException(nameof(options), $"Sgd: WeightDecay must be ≥ 0, got {Options.WeightDecay}.");
        if (Options.Nesterov && (Options.Momentum <= 0 || Options.Dampening != 0))
            throw new ArgumentException($"Sgd: Nesterov momentum requires Momentum > 0 and Dampening = 0, got Momentum {Options.Momentum}, Dampening {Options.Dampening}.", nameof(options));
        MomentumValue = Options.Momentum;
        _momentumBuffers = new float[]?[Parameters.Count];
    }

    /// <summary>The settings given at construction (per-group learning rate and weight decay live in <see cref="Optimizer.ParamGroups"/>).</summary>
    public SgdOptions Options { get; }

    /// <summary>The momentum the next step uses (a one-cycle schedule may cycle it).</summary>
    public double MomentumValue { get; set; }

    /// <inheritdoc/>
    public override double? Momentum { get => MomentumValue; set => MomentumValue = value ?? Options.Momentum; }

    /// <inheritdoc/>
    public override void Step()
    {
        // PyTorch passes 1 − dampening as a Python float (double), rounded once to float32.
        var (mu, keep) = ((float)MomentumValue, (float)(1 - Options.Dampening));
        var index = 0;
        for (var gi = 0; gi < ParamGroups.Count; gi++)
        {
            var group = ParamGroups[gi];
            var (lr, decay) = ((float)group.LearningRate, (float)group.WeightDecay);
            for (var k = 0; k < group.Parameters.Count; k++, index++)
            {
                var parameter = group.Parameters[k];
                if (parameter.Grad is not { } grad) continue;
                var theta = parameter.Data;
                // d ← g + λθ;  buf ← μ·buf + (1 − dampening)·d (buf ← d on the first step: no dampening);
                // d ← d + μ·buf (Nesterov) or buf;  θ ← θ − lr·d
                var buffer = _momentumBuffers[index];
                var first = buffer is null && mu != 0;
                if (first) buffer = _momentumBuffers[index] = new float[theta.Length];
                for (var i = 0; i < theta.Length; i++)
                {
                    // Each `add(x, alpha: a)` of PyTorch is one fused multiply-add (its vector kernel's fmadd).
                    var d = decay == 0 ? grad[i] : MathF.FusedMultiplyAdd(theta[i], decay, grad[i]);
                    if (mu != 0)
                    {
                        buffer![i] = first ? d : MathF.FusedMultiplyAdd(d, keep, mu * buffer[i]);
                        d = Options.Nesterov ? MathF.FusedMultiplyAdd(buffer[i], mu, d) : buffer[i];
                    }
                    theta[i] = MathF.FusedMultiplyAdd(d, -lr, theta[i]);
                }
            }
        }
    }

    /// <inheritdoc/>
    protected override ParameterState? CaptureState(int index) =>
        _momentumBuffers[index] is { } buffer ? new ParameterState(0, new Dictionary<string, float[]> { ["momentum_buffer"] = (float[])buffer.Clone() }) : null;

    /// <inheritdoc/>
    protected override void RestoreState(int index, ParameterState? state) =>
        _momentumBuffers[index] = state is not null && state.Buffers.TryGetValue("momentum_buffer", out var buffer) ? (float[])buffer.Clone() : null;
}
