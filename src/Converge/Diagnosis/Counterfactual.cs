using System.Globalization;
using Converge.Training;
using static Converge.Diagnosis.FindingCodes;

namespace Converge.Diagnosis;

/// <summary>What a confirmation compares.</summary>
internal enum ConfirmationMetric
{
    /// <summary>Log loss of the final weights on the training rows (lower is better).</summary>
    TrainLogLoss,

    /// <summary>Log loss on the validation rows (lower is better).</summary>
    ValidationLogLoss,

    /// <summary>Mean of the recall of each class at threshold 0.5, on the validation rows when present (higher is better).</summary>
    BalancedAccuracy,
}

/// <summary>A remedy expressed as a change of the training options, so it can be put to the test.</summary>
internal sealed record Counterfactual(string Tried, Func<TrainingOptions, TrainingOptions> Apply, ConfirmationMetric Metric, string? Note = null)
{
    /// <summary>Above this a run stuck at the base rate is more likely thrown off by the rate than starved by it.</summary>
    public const double HighLearningRate = 0.1;

    /// <summary>The testable remedy for <paramref name="code"/> under <paramref name="options"/>, or null when the remedy is not a training option.</summary>
    public static Counterfactual? For(string code, TrainingOptions options, bool hasValidation)
    {
        var lr = options.LearningRate;
        string F(double v) => v.ToString("G3", CultureInfo.InvariantCulture);
        var standardize = options.Normalize == Normalization.None
            ? new Counterfactual("--normalize standard instead of none", static o => o with { Normalize = Normalization.Standard }, ConfirmationMetric.TrainLogLoss)
            : null;
        return code switch
        {
            UnscaledInput or MixedScales or BiasOutpacesWeights or BadInitialLoss or GrowingSaturation => standardize,
            SaturatedUnits => standardize ?? (options.Activation is Activation.Sigmoid or Activation.Tanh
                ? new Counterfactual("--activation relu", static o => o with { Activation = Activation.Relu }, ConfirmationMetric.TrainLogLoss)
                : null),
            FindingCodes.Diverged or Oscillation or ExplodingGradients =>
                new Counterfactual($"--lr {F(lr / 10)} instead of {F(lr)}", o => o with { LearningRate = lr / 10 }, ConfirmationMetric.TrainLogLoss),
            StuckAtBaseRate when lr > HighLearningRate =>
                new Counterfactual($"--lr {F(lr / 10)} instead of {F(lr)}", o => o with { LearningRate = lr / 10 }, ConfirmationMetric.TrainLogLoss),
            StuckAtBaseRate or SlowConvergence => options.Normalize == Normalization.None && code == SlowConvergence
                ? standardize
                : new Counterfactual($"--lr {F(lr * 10)} instead of {F(lr)}", o => o with { LearningRate = lr * 10 }, ConfirmationMetric.TrainLogLoss),
            ClassImbalance => new Counterfactual("--pos-weight auto" + (options.Loss == LossKind.Bce ? " with --loss bce-logits" : ""),
                static o => o with { PosWeight = double.NaN, Loss = LossKind.BceWithLogits }, ConfirmationMetric.BalancedAccuracy,
                "Judged by balanced accuracy, not log loss: weighting the minority class trades calibration for finding it."),
            DeadRelus or DyingRelus => options.Initialize is not null
                ? new Counterfactual("PyTorch's default initialization instead of the custom one", static o => o with { Initialize = null }, ConfirmationMetric.TrainLogLoss)
                : new Counterfactual("--activation leaky-relu", static o => o with { Activation = Activation.LeakyRelu }, ConfirmationMetric.TrainLogLoss),
            VanishingGradients when options.Activation is Activation.Sigmoid or Activation.Tanh =>
                new Counterfactual("--activation relu", static o => o with { Activation = Activation.Relu }, ConfirmationMetric.TrainLogLoss),
            Overfitting when hasValidation && options.Hidden.Sum() > 8 =>
                new Counterfactual("a smaller network (--hidden 8)", static o => o with { Hidden = [8] }, ConfirmationMetric.ValidationLogLoss,
                    "Both runs keep the epoch with the lowest validation loss (the trainer restores it), chosen on the same validation rows they are scored on."),
            _ => null,
        };
    }
}
