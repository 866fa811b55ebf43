namespace Converge.Cli.Demo;

/// <summary>Which of the question's two data sets a scenario trains on.</summary>
public enum DemoDataset { Circles, HeartRate }

/// <summary>
/// One experiment of the demo: the question's network (Linear(in, 4) → sigmoid → Linear(4, 1) →
/// sigmoid), trained full batch with Adam on one data set, with one of the fixes switched on.
/// </summary>
/// <param name="Number">1-based number, as in the docs and the table.</param>
/// <param name="Name">Short label for tables and legends.</param>
/// <param name="Description">What the scenario shows, one sentence.</param>
/// <param name="Dataset">The data it trains on.</param>
/// <param name="Standardize">Feed (x − mean)/std (unbiased std, computed in double) instead of raw values.</param>
/// <param name="InputBatchNorm">Put BatchNorm1d on the input (the accepted answer's alternative to standardizing).</param>
/// <param name="Logits">Drop the final sigmoid and train with BceWithLogitsLoss (the stable loss).</param>
/// <param name="LearningRate">Adam's (starting) learning rate.</param>
/// <param name="Epochs">Full-batch steps at full length (before --quick scaling).</param>
/// <param name="StepSize">StepLr: decay the learning rate every this many epochs; null for a constant rate.</param>
/// <param name="Gamma">StepLr's decay factor (ignored without <paramref name="StepSize"/>).</param>
/// <param name="Reference">What the question or PyTorch reported for this setting, for the table.</param>
public sealed record DemoScenario(
    int Number,
    string Name,
    string Description,
    DemoDataset Dataset,
    bool Standardize,
    bool InputBatchNorm,
    bool Logits,
    double LearningRate,
    int Epochs,
    int? StepSize,
    double Gamma,
    string Reference)
{
    /// <summary>Epochs for a run scaled down by <paramref name="divisor"/> (at least one, StepLr steps scaled alike).</summary>
    public DemoScenario Scaled(int divisor)
    {
        if (divisor < 1) throw new ArgumentOutOfRangeException(nameof(divisor), $"Demo: the epoch divisor must be ≥ 1, got {divisor}.");
        if (divisor == 1) return this;
        return this with { Epochs = Math.Max(1, Epochs / divisor), StepSize = StepSize is { } s ? Math.Max(1, s / divisor) : null };
    }
}
