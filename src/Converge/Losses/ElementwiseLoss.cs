using Converge.Tensors;

namespace Converge.Losses;

/// <summary>
/// Shared plumbing of the elementwise losses: checks shapes, evaluates ℓᵢ and dℓᵢ/dxᵢ (both per
/// element in float32, from the subclass) and applies the reduction to the value and to the gradient.
/// </summary>
public abstract class ElementwiseLoss(Reduction reduction)
{
    /// <summary>How the per-element losses are combined.</summary>
    public Reduction Reduction { get; } = reduction;

    /// <summary>Computes the loss of <paramref name="input"/> against <paramref name="target"/> (same shape).</summary>
    public Tensor Forward(Tensor input, Tensor target)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        if (!input.Shape.AsSpan().SequenceEqual(target.Shape))
            throw new ArgumentException($"{GetType().Name}: input shape {Tensor.ShapeToString(input.Shape)} and target shape {Tensor.ShapeToString(target.Shape)} differ.");
        if (ElementWeight is { } weight)
        {
            var broadcast = Broadcast.Of(GetType().Name + " weight", input, weight);
            if (!broadcast.OutShape.AsSpan().SequenceEqual(input.Shape))
                throw new ArgumentException($"{GetType().Name}: weight shape {Tensor.ShapeToString(weight.Shape)} does not broadcast to the input shape {Tensor.ShapeToString(input.Shape)}.");
        }
        Validate(input, target);
        if (VectorizedForward(input, target) is { } fast) return fast;
        var n = input.Length;
        var cols = Math.Max(input.Cols, 1);
        int[] shape = Reduction == Reduction.None ? input.Shape : [];
        float[]? perElement = Reduction == Reduction.None ? null : new float[n];
        return Tensor.Custom(shape, GetType().Name, [input, target],
            forward: output =>
            {
                // Each ℓᵢ in float32, as PyTorch's elementwise kernels; the reduction sums in double.
                var values = perElement ?? output.Data;
                var sum = 0d;
                for (var i = 0; i < n; i++)
                {
                    values[i] = Loss(input.Data[i], target.Data[i], i / cols, i % cols);
                    sum += values[i];
                }
                if (Reduction != Reduction.None) output.Data[0] = (float)(Reduction == Reduction.Mean ? sum / n : sum);
            },
            backward: output =>
            {
                if (!input.RequiresGrad) return;
                var grad = input.GradSpan();
                var outGrad = output.Grad!;
                for (var i = 0; i < n; i++)
                {
                    var upstream = Reduction == Reduction.None ? outGrad[i] : outGrad[0];
                    var g = Gradient(input.Data[i], target.Data[i], upstream, i / cols, i % cols);
                    grad[i] += Reduction == Reduction.Mean ? g / n : g;   // PyTorch divides the finished gradient by N
                }
            });
    }

    /// <summary>The per-element weight, if any: it must broadcast to the input's shape (checked in Forward).</summary>
    protected virtual Tensor? ElementWeight => null;

    /// <summary>A vectorized equivalent of the per-element path for the cases a loss supports (BceFastPath), else null.</summary>
    private protected virtual Tensor? VectorizedForward(Tensor input, Tensor target) => null;

    /// <summary>Throws a clear exception for inputs outside the loss's domain.</summary>
    protected virtual void Validate(Tensor input, Tensor target) { }

    /// <summary>ℓ for one element in float32 (weight included): input x, target y, and its row and column (for weights; row 0 for a vector).</summary>
    protected abstract float Loss(float x, float y, int row, int column);

    /// <summary>
    /// dℓ/dx for one element times <paramref name="upstream"/> (the output's gradient; for Mean and
    /// Sum the scalar's), weight included, in float32 and PyTorch's order; the base divides by N for Mean.
    /// </summary>
    protected abstract float Gradient(float x, float y, float upstream, int row, int column);

    /// <summary>
    /// The weight of the element at (<paramref name="row"/>, <paramref name="column"/>), broadcast as
    /// NumPy does: a scalar, a vector or [1, C] row of per-column weights, an [N, 1] column of
    /// per-row weights, or a tensor of the input's shape.
    /// </summary>
    protected static float WeightAt(Tensor? weight, int row, int column)
    {
        if (weight is null) return 1f;
        if (weight.Length == 1) return weight.Data[0];
        if (weight.Rank == 1) return weight.Data[column];
        var (rows, cols) = (weight.Shape[0], weight.Shape[1]);
        return weight.Data[(rows == 1 ? 0 : row) * cols + (cols == 1 ? 0 : column)];
    }
}
