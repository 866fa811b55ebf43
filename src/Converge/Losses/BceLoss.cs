using Converge.Tensors;

namespace Converge.Losses;

/// <summary>
/// Binary cross-entropy on probabilities (PyTorch's <c>nn.BCELoss</c>):
/// ℓᵢ = wᵢ·[(yᵢ − 1)·max(ln(1 − pᵢ), −100) − yᵢ·max(ln pᵢ, −100)].
/// Prefer <see cref="BceWithLogitsLoss"/>: once σ saturates, 1 − p loses all precision and the
/// gradient through the sigmoid vanishes.
/// </summary>
public sealed class BceLoss(Tensor? weight = null, Reduction reduction = Reduction.Mean) : ElementwiseLoss(reduction)
{
    // PyTorch's ε is the float32 1e-12, i.e. 9.999999960041972e-13 in double.
    private const double Epsilon = (double)1e-12f;

    /// <summary>Optional per-element weight (input-shaped, per column, or scalar).</summary>
    public Tensor? Weight { get; } = weight;

    protected override Tensor? ElementWeight => Weight;

    protected override void Validate(Tensor input, Tensor target)
    {
        for (var i = 0; i < input.Length; i++)
        {
            var p = input.Data[i];
            if (!(p is >= 0f and <= 1f))
                throw new ArgumentException($"BceLoss: inputs must be probabilities in [0, 1], got {p} at index {i}. Use BceWithLogitsLoss on raw outputs.", nameof(input));
        }
    }

    private protected override Tensor? VectorizedForward(Tensor input, Tensor target) =>
        Weight is null && Reduction != Reduction.None ? BceFastPath.Forward(input, target, Reduction, logits: false, nameof(BceLoss)) : null;

    // 1.13's kernel evaluates ln(1 − p) literally (not log1p(−p)); each log is clamped at −100.
    protected override double Loss(double p, double y, int row, int column) =>
        WeightAt(Weight, row, column) * ((y - 1) * Math.Max(Math.Log(1 - p), -100) - y * Math.Max(Math.Log(p), -100));

    // The gradient ignores the clamp: w·(p − y)/max((1 − p)·p, ε).
    protected override double Gradient(double p, double y, int row, int column) =>
        WeightAt(Weight, row, column) * (p - y) / Math.Max((1 - p) * p, Epsilon);
}
