using Converge.Training;

namespace Converge.Evaluation.Diagnosis;

/// <summary>
/// The training doctor: checks the data, the network at initialization and the recorded training dynamics,
/// names why a model does not learn, and tests the top remedy with a counterfactual run on the same data,
/// seed and step budget.
/// </summary>
public static class Doctor
{
    /// <summary>Data checks, init checks, a training run (<see cref="Trainer.Fit"/>), dynamics checks and the confirmation.</summary>
    public static Diagnosis Diagnose(TrainingData train, TrainingData? validation, TrainingOptions options,
        IReadOnlyList<string>? featureNames = null, DoctorOptions? doctor = null, IProgress<EpochLog>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var monitored = options.MonitorEvery > 0 ? options : options with { MonitorEvery = 10 };
        var run = Trainer.Fit(train, validation, monitored, progress, cancellation);
        return Examine(train, validation, monitored, run, featureNames, doctor, cancellation);
    }

    /// <summary>The diagnosis of a run already trained with <paramref name="options"/> (what <c>train</c> prints at the end).</summary>
    public static Diagnosis Examine(TrainingData train, TrainingData? validation, TrainingOptions options, TrainingRun run,
        IReadOnlyList<string>? featureNames = null, DoctorOptions? doctor = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(run);
        doctor ??= new DoctorOptions();
        var findings = new List<Finding>(DataChecks.Run(train, featureNames, options));
        // NaN inputs make every forward pass NaN: the init checks would only repeat the data finding.
        if (findings.All(static f => f.Code != FindingCodes.NonFiniteValues)) findings.AddRange(InitChecks.Run(train, options));
        var posWeight = run.PosWeight ?? 1;
        findings.AddRange(DynamicsChecks.Run(run, FindingCodes.BaseRateLoss(train.PositiveRate, posWeight), options));

        var diagnosis = Diagnosis.From(findings);
        if (!doctor.Confirm) return diagnosis;
        foreach (var finding in diagnosis.Findings.Where(static f => f.Severity >= Severity.Warning))
        {
            if (Counterfactual.For(finding.Code, options, validation is not null) is not { } remedy) continue;
            var confirmation = Confirmations.Run(train, validation, options, remedy, doctor.ConfirmationEpochs, cancellation);
            return Diagnosis.From(diagnosis.Findings.Select(f => ReferenceEquals(f, finding) ? f with { Confirmation = confirmation } : f));
        }
        return diagnosis;
    }
}
