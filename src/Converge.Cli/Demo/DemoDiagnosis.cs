using Converge.Data;
using Converge.Diagnosis;
using Converge.Training;

namespace Converge.Cli.Demo;

/// <summary>What the training doctor says about scenario 2's setting, as <c>converge diagnose</c> would.</summary>
public static class DemoDiagnosis
{
    /// <summary>Epochs of the diagnosed run: enough to show the slow decline, a tenth of scenario 2's budget.</summary>
    public const int Epochs = 1_000;

    /// <summary>
    /// Diagnoses the question's network (Linear(1,4) → sigmoid → Linear(4,1) → sigmoid, BCELoss) on the raw
    /// bpm values with full-batch Adam at scenario 2's learning rate, then searches for the remedy on the
    /// same data and seed.
    /// </summary>
    public static DiagnosisReport RawHeartRate(DemoOptions options, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var bpm = BuiltInData.HeartRate();
        var data = new TrainingData([.. bpm.Select(static v => (float)v)], BuiltInData.HeartRateLabels(), bpm.Length, 1);
        var divisor = Math.Max(1, options.EpochDivisor);
        var training = new TrainingOptions
        {
            Hidden = [4],
            Activation = Activation.Sigmoid,
            Loss = LossKind.Bce,
            Normalize = Normalization.None,
            BatchSize = 0,
            LearningRate = DemoScenarios.HeartRateRaw.LearningRate,
            Epochs = Math.Max(1, Epochs / divisor),
            ValidationSplit = 0,
            Seed = options.Seed,
        };
        return Doctor.Diagnose(data, null, training, ["bpm"], new DoctorOptions(), cancellation: cancellation);
    }
}
