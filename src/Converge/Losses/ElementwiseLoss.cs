using Converge.Tensors;

namespace Converge.Losses;

/// <summary>
/// Shared plumbing of the elementwise losses: checks shapes, evaluates ℓᵢ and dℓᵢ/dxᵢ (both per
/// element, from the subclass) and applies the reduction to the value and to the gradient.
/// </summary>
public abstract class ElementwiseLoss(Reduction reduction)
{
    public Reduction Reduction { get; } = reduction;

    /// <summary>Computes the loss of <paramref name="input"/> against <paramref name="target"/> (same shape).</summary>
    public Tensor Forward(Tensor input, Tensor target)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        if (!input.Shape.AsSpan().SequenceEqual(target.Shape))
            throw new ArgumentException($"{GetType().Name}: input shape {Tensor.ShapeToString(input.Shape)} and target shape {Tensor.ShapeToString(target.Shape)} differ.");
        Validate(input, target);
        var n = input.Length;
        var perElement = new float[n];
        int[] shape = Reduction == Reduction.None ? input.Shape : [];
        return Tensor.Custom(shape, GetType().Name, [input, target],
            forward: output =>
            {
                var sum = 0d;
                for (var i = 0; i < n; i++)
                {
                    var loss = Loss(input.Data[i], target.Data[i], input.Cols == 0 ? 0 : i % input.Cols, i);
                    perElement[i] = (float)loss;
                    sum += loss;
                }
                if (Reduction == Reduction.None) perElement.CopyTo(output.Data, 0);
                else output.Data[0] = (float)(Reduction == Reduction.Mean ? sum / n : sum);
            },
            backward: output =>
            {
                if (!input.RequiresGrad) return;
                var grad = input.GradSpan();
                var scale = Reduction == Reduction.Mean ? 1.0 / n : 1.0;
                for (var i = 0; i < n; i++)
                {
                    var upstream = Reduction == Reduction.None ? output.Grad![i] : output.Grad![0] * scale;
                    grad[i] += (float)(upstream * Gradient(input.Data[i], target.Data[i], input.Cols == 0 ? 0 : i % input.Cols, i));
                }
            });
    }

    /// <summary>Throws a clear exception for inputs outside the loss's domain.</summary>
    protected virtual void Validate(Tensor input, Tensor target) { }

    /// <summary>ℓ for one element: input x, target y, its column and flat index (for weights).</summary>
    protected abstract double Loss(double x, double y, int column, int index);

    /// <summary>dℓ/dx for one element.</summary>
    protected abstract double Gradient(double x, double y, int column, int index);

    /// <summary>The weight of element <paramref name="index"/>: a tensor of the input's shape, a row of per-column weights, or a scalar.</summary>
    protected static double WeightAt(Tensor? weight, int column, int index) => weight switch
    {
        null => 1.0,
        { Length: 1 } => weight.Data[0],
        _ when weight.Rank == 1 => weight.Data[column],
        _ => weight.Data[index],
    };
}
