namespace Converge.Losses;

/// <summary>How a loss combines its per-element values.</summary>
public enum Reduction
{
    /// <summary>Σℓᵢ / N, where N counts elements (weights are not normalized).</summary>
    Mean,

    /// <summary>Σℓᵢ.</summary>
    Sum,

    /// <summary>The per-element losses, shaped like the input.</summary>
    None,
}
