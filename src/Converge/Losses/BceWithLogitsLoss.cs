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

    protected override Tensor? ElementWeight => Weight;

    /// <summary>
    /// Optional weight of the positive term, one per output column (one element for a binary
    /// model). #negatives/#positives makes the classes count equally.
    /// </summary>
    public Tensor? PosWeight { get; } = posWeight;

    protected override void Validate(Tensor input, Tensor target)
    {
        if (PosWeight is not null && PosWeight.Length != 1 && PosWeight.Length != input.Cols)
            throw new ArgumentException($"BceWithLogitsLoss: PosWeight has {PosWeight.Length} elements, the input has {input.Cols} columns.");
    }

    private protected override Tensor? VectorizedForward(Tensor input, Tensor target) =>
        Weight is null && PosWeight is null && Reduction != Reduction.None ? BceFastPath.Forward(input, target, Reduction, logits: true, nameof(BceWithLogitsLoss)) : null;

    protected override double Loss(double x, double y, int row, int column)
    {
        var l = 1 + (PosWeightAt(column) - 1) * y;
        var m = Math.Max(-x, 0);
        return WeightAt(Weight, row, column) * ((1 - y) * x + l * (Math.Log(Math.Exp(-m) + Math.Exp(-x - m)) + m));
    }

    // dℓ/dx = w·(l·σ(x) − PosWeight·y)
    protected override double Gradient(double x, double y, int row, int column)
    {
        var pw = PosWeightAt(column);
        var l = 1 + (pw - 1) * y;
        var sigmoid = x >= 0 ? 1 / (1 + Math.Exp(-x)) : Math.Exp(x) / (1 + Math.Exp(x));
        return WeightAt(Weight, row, column) * (l * sigmoid - pw * y);
    }

    private double PosWeightAt(int column) => PosWeight is null ? 1.0 : PosWeight.Data[PosWeight.Length == 1 ? 0 : column];
}
