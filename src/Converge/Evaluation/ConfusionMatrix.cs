namespace Converge.Evaluation;

/// <summary>Counts of a binary classifier's decisions at one threshold.</summary>
public sealed record ConfusionMatrix
{
    /// <summary>Positive rows predicted positive.</summary>
    public required int TruePositives { get; init; }

    /// <summary>Negative rows predicted positive.</summary>
    public required int FalsePositives { get; init; }

    /// <summary>Negative rows predicted negative.</summary>
    public required int TrueNegatives { get; init; }

    /// <summary>Positive rows predicted negative.</summary>
    public required int FalseNegatives { get; init; }
}
