using Converge.Tensors;

namespace Converge.Losses;

/// <summary>
/// Binary cross-entropy on logits, fused and numerically stable (PyTorch's
/// <c>nn.BCEWithLogitsLoss</c>): with m = max(−x, 0) and l = 1 + (PosWeight − 1)·y,
/// ℓ = w·[(1 − y)·x + l·(ln(e^(−m) + e^(−x−m)) + m)]. The log's argument lies in [1, 2], so no
/// clamp is needed and nothing overflows, unlike sigmoid followed by a log.
/// </summary>
public sealed class BceWithLogitsLoss(Tensor? weight = null, Tensor? posWeight = null, Reduction reduction = Reduction.Mean)
    : ElementwiseLoss(reduction)
{
    /// <summary>Optional per-element weight (input-shaped, per column, or scalar).</summary>
    public Tensor? Weight { get; } = weight;

    /// <inheritdoc/>
    protected override Tensor? ElementWeight => Weight;

    /// <summary>
    /// Optional weight of the positive term, one per output column (one element for a binary
    /// model). #negatives/#positives makes the classes count equally.
    /// </summary>
    public Tensor? PosWeight { get; } = posWeight;

    /// <inheritdoc/>
    protected override void Validate(Tensor input, Tensor target)
    {
        if (PosWeight is not null && PosWeight.Length != 1 && PosWeight.Length != input.Cols)
            throw new ArgumentException($"BceWithLogitsLoss: PosWeight has {PosWeight.Length} elements, the input has {input.Cols} columns.");
    }

    private protected override Tensor? VectorizedForward(Tensor input, Tensor target) =>
        Weight is null && PosWeight is null && Reduction != Reduction.None ? BceFastPath.Forward(input, target, Reduction, logits: true, nameof(BceWithLogitsLoss)) : null;

    /// <inheritdoc/>
    protected override float Loss(float x, float y, int row, int column)
    {
        // PyTorch 1.13's composite, op by op in float32: m = max(−x, 0);
        // without PosWeight ((1 − y)·x + m) + ln(e^(−m) + e^(−x−m)); with it (1 − y)·x + l·(ln(…) + m).
        var m = MathF.Max(-x, 0f);
        var log = MathF.Log(MathF.Exp(-m) + MathF.Exp(-x - m));
        var loss = PosWeight is null
            ? (1f - y) * x + m + log
            : (1f - y) * x + ((PosWeightAt(column) - 1f) * y + 1f) * (log + m);
        return Weight is null ? loss : loss * WeightAt(Weight, row, column);
    }

    // dℓ/dx = (σ(x) − y)·g, or with PosWeight ((pw·y + 1 − y)·σ(x) − pw·y)·g; then ·w.
    /// <inheritdoc/>
    protected override float Gradient(float x, float y, float upstream, int row, int column)
    {
        var sigmoid = Kernels.ElementwiseKernels.Sigmoid(x);
        float grad;
        if (PosWeight is null) grad = (sigmoid - y) * upstream;
        else
        {
            var t = PosWeightAt(column) * y;
            grad = ((t + 1f - y) * sigmoid - t) * upstream;
        }
        return Weight is null ? grad : grad * WeightAt(Weight, row, column);
    }

    private float PosWeightAt(int column) => PosWeight is null ? 1f : PosWeight.Data[PosWeight.Length == 1 ? 0 : column];
}
