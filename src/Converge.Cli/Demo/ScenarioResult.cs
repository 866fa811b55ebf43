using Converge.Modules;

namespace Converge.Cli.Demo;

/// <summary>One trained scenario: the model, exactly what it was trained on, and its whole history.</summary>
/// <param name="Scenario">The scenario as run (epochs already scaled by --quick).</param>
/// <param name="Seed">Seed of the initial weights.</param>
/// <param name="Model">The trained network, in eval mode.</param>
/// <param name="Inputs">The rows fed to the model, row-major [Rows, Cols] (standardized when the scenario standardizes).</param>
/// <param name="Labels">The 0/1 labels, one per row.</param>
/// <param name="Rows">Number of rows.</param>
/// <param name="Cols">Number of input features.</param>
/// <param name="Standardization">The mean and unbiased std used to standardize, or null for raw inputs.</param>
/// <param name="Losses">Training loss at the parameters after k steps, k = 0…Epochs (entry 0 is the initial loss).</param>
/// <param name="LearningRates">The learning rate of step k + 1, k = 0…Epochs − 1.</param>
/// <param name="Probabilities">The trained model's eval-mode probability for each row.</param>
/// <param name="Accuracy">Fraction of rows whose prediction (p &gt; 0.5) matches the label.</param>
/// <param name="EpochsToConverge">First k with loss &lt; <see cref="DemoScenarios.ConvergedLoss"/>, or null if never.</param>
/// <param name="SaturatedAtStart">Fraction of hidden sigmoid outputs below 0.01 or above 0.99 on the training rows, before training.</param>
/// <param name="SaturatedAtEnd">The same fraction after training.</param>
/// <param name="FirstLayerGradientNorm">L2 norm of the first Linear layer's weight gradient at the first step.</param>
/// <param name="Elapsed">Wall time of the training loop.</param>
public sealed record ScenarioResult(
    DemoScenario Scenario,
    ulong Seed,
    Sequential Model,
    float[] Inputs,
    float[] Labels,
    int Rows,
    int Cols,
    (double Mean, double Std)? Standardization,
    float[] Losses,
    double[] LearningRates,
    float[] Probabilities,
    double Accuracy,
    int? EpochsToConverge,
    double SaturatedAtStart,
    double SaturatedAtEnd,
    double FirstLayerGradientNorm,
    TimeSpan Elapsed)
{
    /// <summary>The loss after the last step.</summary>
    public double FinalLoss => Losses[^1];

    /// <summary>True when the final loss is below <see cref="DemoScenarios.ConvergedLoss"/>.</summary>
    public bool Converged => FinalLoss < DemoScenarios.ConvergedLoss;
}
