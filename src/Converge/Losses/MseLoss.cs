namespace Converge.Losses;

/// <summary>Mean squared error: ℓᵢ = (xᵢ − yᵢ)² (PyTorch's <c>nn.MSELoss</c>), in float32.</summary>
public sealed class MseLoss(Reduction reduction = Reduction.Mean) : ElementwiseLoss(reduction)
{
    /// <inheritdoc/>
    protected override float Loss(float x, float y, int row, int column)
    {
        var d = x - y;
        return d * d;
    }

    /// <inheritdoc/>
    protected override float Gradient(float x, float y, float upstream, int row, int column) => (x - y) * 2f * upstream;
}
