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
    private const float Epsilon = 1e-12f;

    /// <summary>Optional per-element weight (input-shaped, per column, or scalar).</summary>
    public Tensor? Weight { get; } = weight;

    /// <inheritdoc/>
    protected override Tensor? ElementWeight => Weight;

    /// <inheritdoc/>
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

    // 1.13's kernel evaluates ln(1 − p) literally (not log1p(−p)) in float; each log is clamped at −100; then loss·w.
    /// <inheritdoc/>
    protected override float Loss(float p, float y, int row, int column) =>
        ((y - 1f) * MathF.Max(MathF.Log(1f - p), -100f) - y * MathF.Max(MathF.Log(p), -100f)) * WeightAt(Weight, row, column);

    // The gradient ignores the clamp: g·(p − y)/max((1 − p)·p, ε), then ·w.
    /// <inheritdoc/>
    protected override float Gradient(float p, float y, float upstream, int row, int column) =>
        upstream * (p - y) / MathF.Max((1f - p) * p, Epsilon) * WeightAt(Weight, row, column);
}
