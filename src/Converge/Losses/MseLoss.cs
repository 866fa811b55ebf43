namespace Converge.Losses;

/// <summary>Mean squared error: ℓᵢ = (xᵢ − yᵢ)².</summary>
public sealed class MseLoss(Reduction reduction = Reduction.Mean) : ElementwiseLoss(reduction)
{
    protected override double Loss(double x, double y, int row, int column) => (x - y) * (x - y);

    protected override double Gradient(double x, double y, int row, int column) => 2 * (x - y);
}
