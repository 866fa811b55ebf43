using Converge.Losses;
using Converge.Modules;
using Converge.Optimizers;
using Converge.Tensors;
using Converge.Training;

namespace Converge.Diagnosis;

/// <summary>
/// The training doctor: checks the data, the network at initialization and the recorded training dynamics,
/// names why a model does not learn, and searches for the remedy that repairs it: candidate changes, single and
/// combined, each trained on the same data and seed within a compute budget, the best judged against a healthy level.
/// </summary>
public static class Doctor
{
    /// <summary>Data checks, init checks, a training run (<see cref="TabularRecipe.Fit"/>), dynamics checks and the remedy search.</summary>
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

    /// <summary>
    /// Attaches the doctor to a training loop you write yourself, before its first step: <paramref name="model"/> as
    /// initialized, trained by <paramref name="optimizer"/> on <paramref name="criterion"/> with <paramref name="inputs"/>
    /// [rows, features] (the whole training set, as the network sees it) and 0/1 <paramref name="targets"/>.
    /// Report each step with <see cref="TrainingWatch.Step"/> (or <see cref="TrainingWatch.Batch"/> and
    /// <see cref="TrainingWatch.EndEpoch"/>), then call <see cref="TrainingWatch.Diagnose"/>.
    /// </summary>
    public static TrainingWatch Watch(Module model, Optimizer optimizer, ElementwiseLoss criterion, Tensor inputs, Tensor targets,
        IReadOnlyList<string>? featureNames = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(criterion);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        if (inputs.Rank != 2) throw new ArgumentException($"Doctor.Watch: inputs must be [rows, features], got rank {inputs.Rank}.", nameof(inputs));
        var data = new TrainingData((float[])inputs.Data.Clone(), (float[])targets.Data.Clone(), inputs.Rows, inputs.Cols);
        data.Validate("Doctor.Watch");
        return new TrainingWatch(model, optimizer, criterion, data, featureNames);
    }

    /// <summary>
    /// Attaches the doctor to <paramref name="trainer"/> as one of its observers, before <see cref="Trainer.Fit"/>: the same
    /// watch as for a hand-written loop, fed by the trainer. <paramref name="train"/> is the data <c>Fit</c> will get.
    /// </summary>
    public static TrainingWatch Watch(Trainer trainer, TrainingData train, IReadOnlyList<string>? featureNames = null)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        ArgumentNullException.ThrowIfNull(train);
        train.Validate("Doctor.Watch");
        var watch = new TrainingWatch(trainer.Model, trainer.Optimizer, trainer.Loss,
            train with { Features = (float[])train.Features.Clone(), Labels = (float[])train.Labels.Clone() }, featureNames);
        trainer.Observe(watch);
        return watch;
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
        // A remedy that trains cannot be tested on data holding NaN: every run is NaN from the first step.
        if (!doctor.Confirm || diagnosis.Find(FindingCodes.NonFiniteValues) is not null) return diagnosis;
        return WithSearch(diagnosis, RemedySearch.Run(train, validation, options, run, diagnosis.Findings, doctor, cancellation));
    }

    /// <summary>Attaches the search's best remedy to the top problem and its outcome to the summary.</summary>
    internal static DiagnosisReport WithSearch(DiagnosisReport diagnosis, RemedySearchResult? search)
    {
        if (search is null) return diagnosis;
        var top = diagnosis.Findings.First(static f => f.Severity >= Severity.Warning);
        var findings = diagnosis.Findings.Select(f => ReferenceEquals(f, top) ? f with { Confirmation = search.Best } : f).ToList();
        return new DiagnosisReport(findings, $"{diagnosis.Summary} {search.Summary}") { Search = search };
    }
}
