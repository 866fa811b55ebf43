using Converge.Training;

namespace Converge.Diagnosis;

/// <summary>
/// The training doctor: checks the data, the network at initialization and the recorded training dynamics,
/// names why a model does not learn, and tests the top remedy with a counterfactual run on the same data,
/// seed and step budget.
/// </summary>
public static class Doctor
{
    /// <summary>Data checks, init checks, a training run (<see cref="Trainer.Fit"/>), dynamics checks and the confirmation.</summary>
    public static DiagnosisReport Diagnose(TrainingData train, TrainingData? validation, TrainingOptions options,
        IReadOnlyList<string>? featureNames = null, DoctorOptions? doctor = null, IProgress<EpochLog>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(train);
        var monitored = options.MonitorEvery > 0 ? options : options with { MonitorEvery = 10 };
        var data = DataChecks.Run(train, featureNames, monitored);
        // NaN inputs make every forward pass NaN (and the scaler refuses them): training would only repeat the data finding.
        if (data.Any(static f => f.Code == FindingCodes.NonFiniteValues)) return DiagnosisReport.From(data);
        var run = TabularRecipe.Fit(train, validation, monitored, progress, cancellation);
        return Examine(train, validation, monitored, run, data, doctor ?? new DoctorOptions(), cancellation);
    }

    /// <summary>The diagnosis of a run already trained with <paramref name="options"/> (what <c>train</c> prints at the end).</summary>
    public static DiagnosisReport Examine(TrainingData train, TrainingData? validation, TrainingOptions options, TrainingRun run,
        IReadOnlyList<string>? featureNames = null, DoctorOptions? doctor = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(run);
        return Examine(train, validation, options, run, DataChecks.Run(train, featureNames, options), doctor ?? new DoctorOptions(), cancellation);
    }

    private static DiagnosisReport Examine(TrainingData train, TrainingData? validation, TrainingOptions options, TrainingRun run,
        IReadOnlyList<Finding> dataFindings, DoctorOptions doctor, CancellationToken cancellation)
    {
        var findings = new List<Finding>(dataFindings);
        if (findings.All(static f => f.Code != FindingCodes.NonFiniteValues)) findings.AddRange(InitChecks.Run(train, options));
        var posWeight = run.PosWeight ?? 1;
        findings.AddRange(DynamicsChecks.Run(run, FindingCodes.BaseRateLoss(train.PositiveRate, posWeight), options));

        var diagnosis = DiagnosisReport.From(findings);
        // A remedy that trains cannot be confirmed on data holding NaN: every run is NaN from the first step.
        if (!doctor.Confirm || diagnosis.Find(FindingCodes.NonFiniteValues) is not null) return diagnosis;
        foreach (var finding in diagnosis.Findings.Where(static f => f.Severity >= Severity.Warning))
        {
            if (Counterfactual.For(finding.Code, options, validation is not null) is not { } remedy) continue;
            var confirmation = Confirmations.Run(train, validation, options, remedy, doctor.ConfirmationEpochs, cancellation);
            return DiagnosisReport.From(diagnosis.Findings.Select(f => ReferenceEquals(f, finding) ? f with { Confirmation = confirmation } : f));
        }
        return diagnosis;
    }
}
