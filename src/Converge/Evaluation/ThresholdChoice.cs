namespace Converge.Evaluation;

/// <summary>A threshold chosen by <see cref="ThresholdSearch"/> and the scores it reaches.</summary>
public sealed record ThresholdChoice
{
    /// <summary>The chosen threshold: rows with probability ≥ Threshold are predicted positive.</summary>
    public required double Threshold { get; init; }

    /// <summary>F1 at <see cref="Threshold"/>.</summary>
    public required double F1 { get; init; }

    /// <summary>Precision at <see cref="Threshold"/>.</summary>
    public required double Precision { get; init; }

    /// <summary>Recall at <see cref="Threshold"/>.</summary>
    public required double Recall { get; init; }
}
