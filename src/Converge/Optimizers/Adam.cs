using Converge.Tensors;
using Converge.Kernels;

namespace Converge.Optimizers;

/// <summary>Adam's settings; PyTorch's defaults.</summary>
public sealed record AdamOptions
{
    public double LearningRate { get; init; } = 1e-3;
    public double Beta1 { get; init; } = 0.9;
    public double Beta2 { get; init; } = 0.999;
    public double Epsilon { get; init; } = 1e-8;

    /// <summary>Classic L2 penalty: added to the gradient, so it enters the moments (unlike AdamW).</summary>
    public double WeightDecay { get; init; }

    /// <summary>Use the running maximum of v (Reddi et al. 2018).</summary>
    public bool Amsgrad { get; init; }

    internal void Validate(string name)
    {
        if (!(LearningRate >= 0)) throw new ArgumentOutOfRangeException(nameof(LearningRate), $"{name}: LearningRate must be ≥ 0, got {LearningRate}.");
        if (!(Beta1 is >= 0 and < 1)) throw new ArgumentOutOfRangeException(nameof(Beta1), $"{name}: Beta1 must be in [0, 1), got {Beta1}.");
        if (!(Beta2 is >= 0 and < 1)) throw new ArgumentOutOfRangeException(nameof(Beta2), $"{name}: Beta2 must be in [0, 1), got {Beta2}.");
        if (!(Epsilon >= 0)) throw new ArgumentOutOfRangeException(nameof(Epsilon), $"{name}: Epsilon must be ≥ 0, got {Epsilon}.");
        if (!(WeightDecay >= 0)) throw new ArgumentOutOfRangeException(nameof(WeightDecay), $"{name}: WeightDecay must be ≥ 0, got {WeightDecay}.");
    }
}

/// <summary>
/// Adam (Kingma &amp; Ba 2015, https://arxiv.org/abs/1412.6980) in PyTorch's exact order of
/// operations, with optional L2 weight decay and AMSGrad.
/// </summary>
public class Adam : Optimizer
{
    private readonly AdamState[] _state;

    public Adam(IEnumerable<Tensor> parameters, AdamOptions? options = null)
        : base(parameters, (options ?? new AdamOptions()).LearningRate)
    {
        Options = options ?? new AdamOptions();
        Options.Validate(GetType().Name);
        Beta1 = Options.Beta1;
        _state = [.. Parameters.Select(p => new AdamState(p.Length, Options.Amsgrad))];
    }

    public AdamOptions Options { get; }

    /// <summary>β1, which a one-cycle schedule may cycle.</summary>
    public double Beta1 { get; set; }

    public override double? Momentum { get => Beta1; set => Beta1 = value ?? Options.Beta1; }

    /// <summary>Steps taken by the first parameter (PyTorch's state["step"]).</summary>
    public long StepCount => _state.Length == 0 ? 0 : _state[0].Step;

    /// <summary>Decoupled decay applied to θ before the moments; 0 for Adam (AdamW overrides).</summary>
    protected virtual double DecoupledDecay => 0;

    /// <summary>L2 decay added to the gradient; AdamW sets none.</summary>
    protected virtual double CoupledDecay => Options.WeightDecay;

    public override void Step()
    {
        var (beta1, beta2, eps) = (Beta1, Options.Beta2, Options.Epsilon);
        for (var index = 0; index < Parameters.Count; index++)
        {
            var parameter = Parameters[index];
            if (parameter.Grad is not { } grad) continue;   // no gradient: no decay, no moments, no step
            var s = _state[index];
            s.Step++;
            if (DecoupledDecay != 0) System.Numerics.Tensors.TensorPrimitives.Multiply(parameter.Data, (float)(1 - LearningRate * DecoupledDecay), parameter.Data);

            // m ← β1·m + (1 − β1)·g;   v ← β2·v + (1 − β2)·g²
            // θ ← θ − (lr / (1 − β1ᵗ)) · m / (√v / √(1 − β2ᵗ) + ε)     (ε after the bias correction, as PyTorch)
            var biasCorrection1 = 1 - Math.Pow(beta1, s.Step);
            var biasCorrection2Sqrt = Math.Sqrt(1 - Math.Pow(beta2, s.Step));
            var stepSize = (float)(LearningRate / biasCorrection1);
            var (b1, b2, decay) = ((float)beta1, (float)beta2, (float)CoupledDecay);
            var (m, v, vMax, theta) = (s.M, s.V, s.VMax, parameter.Data);
            if (decay == 0 && vMax is null)
            {
                AdamKernel.Update(theta, grad, m, v, b1, b2, stepSize, (float)biasCorrection2Sqrt, (float)eps);
                continue;
            }
            for (var i = 0; i < theta.Length; i++)
            {
                var g = decay == 0 ? grad[i] : grad[i] + decay * theta[i];
                m[i] = m[i] * b1 + (1 - b1) * g;
                v[i] = v[i] * b2 + (1 - b2) * g * g;
                var vUsed = v[i];
                if (vMax is not null) vUsed = vMax[i] = MathF.Max(vMax[i], v[i]);
                var denominator = (float)(MathF.Sqrt(vUsed) / biasCorrection2Sqrt + eps);
                theta[i] += -stepSize * m[i] / denominator;
            }
        }
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
/// decay θ ← θ·(1 − lr·λ) applied before the moment updates. PyTorch's default λ is 0.01.
/// </summary>
public sealed class AdamW(IEnumerable<Tensor> parameters, AdamOptions? options = null)
    : Adam(parameters, options ?? new AdamOptions { WeightDecay = DefaultWeightDecay })
{
    /// <summary>AdamW's default weight decay (Adam's is 0).</summary>
    public const double DefaultWeightDecay = 1e-2;

    protected override double DecoupledDecay => Options.WeightDecay;

    protected override double CoupledDecay => 0;
}
