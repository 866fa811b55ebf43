namespace Converge.Cli.Demo;

/// <summary>The six experiments of the demo, as data. The numbers are the ones the docs use.</summary>
public static class DemoScenarios
{
    /// <summary>Loss below which a run counts as converged (and the "epochs to reach" column's target).</summary>
    public const double ConvergedLoss = 0.1;

    /// <summary>1: the question's working example, make_circles, raw inputs, lr 0.1.</summary>
    public static DemoScenario CirclesRaw { get; } = new(1, "circles, raw", "The question's working example: two concentric circles, raw inputs, Adam lr 0.1.",
        DemoDataset.Circles, Standardize: false, InputBatchNorm: false, Logits: false, LearningRate: 0.1, Epochs: 1_000, StepSize: null, Gamma: 1, "question: 0.0016");

    /// <summary>2: the failure, raw bpm values (≈92) into the same network, lr 0.001.</summary>
    public static DemoScenario HeartRateRaw { get; } = new(2, "heart rate, raw", "The failure: raw bpm values around 92 saturate the hidden sigmoids, Adam lr 0.001.",
        DemoDataset.HeartRate, Standardize: false, InputBatchNorm: false, Logits: false, LearningRate: 0.001, Epochs: 10_000, StepSize: null, Gamma: 1, "question: 0.43; PyTorch: 0.27");

    /// <summary>3: the accepted answer's fix, standardized inputs and lr 0.01.</summary>
    public static DemoScenario HeartRateStandardized { get; } = new(3, "heart rate, standardized", "The fix: (x − mean)/std, Adam lr 0.01.",
        DemoDataset.HeartRate, Standardize: true, InputBatchNorm: false, Logits: false, LearningRate: 0.01, Epochs: 1_000, StepSize: null, Gamma: 1, "PyTorch: 0.043");

    /// <summary>4: raw inputs with BatchNorm1d(1) in front, lr 0.01.</summary>
    public static DemoScenario HeartRateBatchNorm { get; } = new(4, "heart rate, BatchNorm1d", "The alternative fix: raw inputs through BatchNorm1d(1), Adam lr 0.01.",
        DemoDataset.HeartRate, Standardize: false, InputBatchNorm: true, Logits: false, LearningRate: 0.01, Epochs: 1_000, StepSize: null, Gamma: 1, "PyTorch: 0.017");

    /// <summary>5: standardized inputs, no final sigmoid, BceWithLogitsLoss, lr 0.01.</summary>
    public static DemoScenario HeartRateLogits { get; } = new(5, "heart rate, standardized, logits", "The stable loss: standardized inputs, no final sigmoid, BceWithLogitsLoss, Adam lr 0.01.",
        DemoDataset.HeartRate, Standardize: true, InputBatchNorm: false, Logits: true, LearningRate: 0.01, Epochs: 1_000, StepSize: null, Gamma: 1, "");

    /// <summary>
    /// 6: the second answer's stepped learning rate on raw inputs: start 10× higher than scenario 2
    /// (lr 0.01) and divide by 10 every 2,500 epochs (0.01, 0.001, 0.0001, 0.00001), 10,000 epochs.
    /// A higher start does not work on raw inputs: from lr 0.02 up, Adam's first steps push the last
    /// live hidden unit into exact float32 saturation and the loss freezes at the label entropy.
    /// </summary>
    public static DemoScenario HeartRateRawStepped { get; } = new(6, "heart rate, raw, StepLr", "The second answer: raw inputs, Adam lr 0.01 divided by 10 every 2,500 epochs.",
        DemoDataset.HeartRate, Standardize: false, InputBatchNorm: false, Logits: false, LearningRate: 0.01, Epochs: 10_000, StepSize: 2_500, Gamma: 0.1, "");

    /// <summary>All six, in order.</summary>
    public static IReadOnlyList<DemoScenario> All { get; } =
        [CirclesRaw, HeartRateRaw, HeartRateStandardized, HeartRateBatchNorm, HeartRateLogits, HeartRateRawStepped];
}
