using Converge.Tensors;
using Converge.Kernels;

namespace Converge.Optimizers;

/// <summary>Adam's and AdamW's settings; PyTorch's defaults.</summary>
public sealed record AdamOptions
{
    /// <summary>The learning rate (PyTorch's default 1e-3).</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Decay of the first moment (β1, default 0.9).</summary>
    public double Beta1 { get; init; } = 0.9;

    /// <summary>Decay of the second moment (β2, default 0.999).</summary>
    public double Beta2 { get; init; } = 0.999;

    /// <summary>Added to the denominator after the bias correction (default 1e-8).</summary>
    public double Epsilon { get; init; } = 1e-8;

    /// <summary>
    /// Weight decay; null means the optimizer's own default, as in PyTorch: 0 for <see cref="Adam"/>
    /// (a classic L2 penalty added to the gradient, so it enters the moments) and
    /// <see cref="AdamW.DefaultWeightDecay"/> = 0.01 for <see cref="AdamW"/> (decoupled).
    /// </summary>
    public double? WeightDecay { get; init; }

    /// <summary>Use the running maximum of v (Reddi et al. 2018).</summary>
    public bool Amsgrad { get; init; }

    internal void Validate(string name)
    {
        if (!(LearningRate >= 0)) throw new ArgumentOutOfRangeException(nameof(LearningRate), $"{name}: LearningRate must be ≥ 0, got {LearningRate}.");
        if (!(Beta1 is >= 0 and < 1)) throw new ArgumentOutOfRangeException(nameof(Beta1), $"{name}: Beta1 must be in [0, 1), got {Beta1}.");
        if (!(Beta2 is >= 0 and < 1)) throw new ArgumentOutOfRangeException(nameof(Beta2), $"{name}: Beta2 must be in [0, 1), got {Beta2}.");
        if (!(Epsilon >= 0)) throw new ArgumentOutOfRangeException(nameof(Epsilon), $"{name}: Epsilon must be ≥ 0, got {Epsilon}.");
        if (WeightDecay is { } decay && !(decay >= 0)) throw new ArgumentOutOfRangeException(nameof(WeightDecay), $"{name}: WeightDecay must be ≥ 0, got {decay}.");
    }
}

/// <summary>
/// Adam (Kingma &amp; Ba 2015, https://arxiv.org/abs/1412.6980) in PyTorch's exact order of
/// operations, with optional L2 weight decay and AMSGrad. Scalars enter the float32 arithmetic as
/// PyTorch's kernels take them: 1 − β and the step size are computed in double, then rounded.
/// </summary>
public class Adam : Optimizer
{
    private readonly AdamState[] _state;

    /// <summary>Adam over one group of <paramref name="parameters"/>.</summary>
    public Adam(IEnumerable<Tensor> parameters, AdamOptions? options = null)
        : this([new ParameterGroup(parameters ?? throw new ArgumentNullException(nameof(parameters)))], options, 0)
    {
    }

    /// <summary>Adam over parameter groups; each group's null settings come from <paramref name="options"/>.</summary>
    public Adam(IEnumerable<ParameterGroup> groups, AdamOptions? options = null)
        : this(groups, options, 0)
    {
    }

    /// <summary>The shared constructor; <paramref name="defaultWeightDecay"/> applies when the options leave WeightDecay null.</summary>
    protected Adam(IEnumerable<ParameterGroup> groups, AdamOptions? options, double defaultWeightDecay)
        : base(groups, Checked(options).LearningRate, Checked(options).WeightDecay ?? defaultWeightDecay)
    {
        Options = options ?? new AdamOptions();
        Beta1 = Options.Beta1;
        _state = [.. Parameters.Select(p => new AdamState(p.Length, Options.Amsgrad))];
    }

    /// <summary>The settings given at construction (per-group learning rate and weight decay live in <see cref="Optimizer.ParamGroups"/>).</summary>
    public AdamOptions Options { get; }

    /// <summary>β1, which a one-cycle schedule may cycle.</summary>
    public double Beta1 { get; set; }

    /// <inheritdoc/>
    public override double? Momentum { get => Beta1; set => Beta1 = value ?? Options.Beta1; }

    /// <summary>Steps taken by the first parameter (PyTorch's state["step"]).</summary>
    public long StepCount => _state.Length == 0 ? 0 : _state[0].Step;

    /// <summary>True when the group's weight decay is decoupled (AdamW: θ ← θ·(1 − lr·λ) before the moments); false for L2 in the gradient.</summary>
    protected virtual bool DecoupledWeightDecay => false;

    /// <inheritdoc/>
    public override void Step()
    {
        var (beta1, beta2, eps) = (Beta1, Options.Beta2, Options.Epsilon);
        // PyTorch passes 1 − β as a Python float (double) that the kernel rounds once to float32.
        var (b1, b2, c1, c2) = ((float)beta1, (float)beta2, (float)(1 - beta1), (float)(1 - beta2));
        var index = 0;
        for (var g = 0; g < ParamGroups.Count; g++)
        {
            var group = ParamGroups[g];
            var (lr, weightDecay) = (group.LearningRate, group.WeightDecay);
            var decay = DecoupledWeightDecay ? 0f : (float)weightDecay;
            for (var k = 0; k < group.Parameters.Count; k++, index++)
            {
                var parameter = group.Parameters[k];
                if (parameter.Grad is not { } grad) continue;   // no gradient: no decay, no moments, no step
                var s = _state[index];
                s.Step++;
                if (DecoupledWeightDecay && weightDecay != 0)
                    System.Numerics.Tensors.TensorPrimitives.Multiply(parameter.Data, (float)(1 - lr * weightDecay), parameter.Data);

                // m ← β1·m + (1 − β1)·g;   v ← β2·v + (1 − β2)·g²
                // θ ← θ − (lr / (1 − β1ᵗ)) · m / (√v / √(1 − β2ᵗ) + ε)     (ε after the bias correction, as PyTorch)
                var biasCorrection1 = 1 - Math.Pow(beta1, s.Step);
                var biasCorrection2Sqrt = (float)Math.Sqrt(1 - Math.Pow(beta2, s.Step));
                var stepSize = (float)(lr / biasCorrection1);
                var epsilon = (float)eps;
                var (m, v, vMax, theta) = (s.M, s.V, s.VMax, parameter.Data);
                if (decay == 0 && vMax is null)
                {
                    AdamKernel.Update(theta, grad, m, v, b1, b2, c1, c2, stepSize, biasCorrection2Sqrt, epsilon);
                    continue;
                }
                for (var i = 0; i < theta.Length; i++)
                {
                    // grad.add(θ, alpha: λ) and m·β1 + (1 − β1)·g are PyTorch's fused add-with-alpha.
                    var gi = decay == 0 ? grad[i] : MathF.FusedMultiplyAdd(theta[i], decay, grad[i]);
                    m[i] = MathF.FusedMultiplyAdd(gi, c1, m[i] * b1);
                    v[i] = v[i] * b2 + c2 * gi * gi;
                    var vUsed = v[i];
                    if (vMax is not null) vUsed = vMax[i] = MathF.Max(vMax[i], v[i]);
                    theta[i] -= stepSize * m[i] / (MathF.Sqrt(vUsed) / biasCorrection2Sqrt + epsilon);   // addcdiv: (value·m)/denominator
                }
            }
        }
    }

    /// <inheritdoc/>
    protected override ParameterState? CaptureState(int index)
    {
        var s = _state[index];
        if (s.Step == 0) return null;
        var buffers = new Dictionary<string, float[]> { ["exp_avg"] = (float[])s.M.Clone(), ["exp_avg_sq"] = (float[])s.V.Clone() };
        if (s.VMax is not null) buffers["max_exp_avg_sq"] = (float[])s.VMax.Clone();
        return new ParameterState(s.Step, buffers);
    }

    /// <inheritdoc/>
    protected override void RestoreState(int index, ParameterState? state)
    {
        var s = _state[index];
        s.Step = state?.Step ?? 0;
        Restore(s.M, "exp_avg");
        Restore(s.V, "exp_avg_sq");
        if (s.VMax is not null) Restore(s.VMax, "max_exp_avg_sq");

        void Restore(float[] target, string name)
        {
            if (state is null) Array.Clear(target);
            else if (state.Buffers.TryGetValue(name, out var source)) source.CopyTo(target, 0);
            else throw new ArgumentException($"LoadStateDict: parameter {index} has no '{name}' (a state of another optimizer, or Amsgrad differs).", nameof(state));
        }
    }

    private static AdamOptions Checked(AdamOptions? options)
    {
        var o = options ?? new AdamOptions();
        o.Validate("Adam");
        return o;
    }

    private sealed class AdamState(int length, bool amsgrad)
    {
        public long Step;
        public readonly float[] M = new float[length];
        public readonly float[] V = new float[length];
        public readonly float[]? VMax = amsgrad ? new float[length] : null;
    }
}

/// <summary>
/// AdamW (Loshchilov &amp; Hutter 2019, https://arxiv.org/abs/1711.05101): Adam with decoupled weight
/// decay θ ← θ·(1 − lr·λ) applied before the moment updates. PyTorch's default λ is 0.01, and it
/// applies whenever the options leave <see cref="AdamOptions.WeightDecay"/> null.
/// </summary>
public sealed class AdamW : Adam
{
    /// <summary>AdamW's default weight decay (Adam's is 0).</summary>
    public const double DefaultWeightDecay = 1e-2;

    /// <summary>AdamW over one group of <paramref name="parameters"/>.</summary>
    public AdamW(IEnumerable<Tensor> parameters, AdamOptions? options = null)
        : base([new ParameterGroup(parameters ?? throw new ArgumentNullException(nameof(parameters)))], options, DefaultWeightDecay)
    {
    }

    /// <summary>AdamW over parameter groups; each group's null settings come from <paramref name="options"/> (weight decay 0.01 if it has none).</summary>
    public AdamW(IEnumerable<ParameterGroup> groups, AdamOptions? options = null)
        : base(groups, options, DefaultWeightDecay)
    {
    }

    /// <inheritdoc/>
    protected override bool DecoupledWeightDecay => true;
}
