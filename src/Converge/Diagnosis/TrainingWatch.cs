using System.Diagnostics;
using Converge.Losses;
using Converge.Modules;
using Converge.Optimizers;
using Converge.Tensors;
using Converge.Training;

namespace Converge.Diagnosis;

/// <summary>
/// The doctor attached to a training loop you write yourself (<see cref="Doctor.Watch(Module, Optimizer, ElementwiseLoss, Tensor, Tensor, IReadOnlyList{string}?)"/>): it checks the data and
/// the network as they are when it is attached, samples the gradients and hidden units while you train, and
/// <see cref="Diagnose"/> gives the same findings as <c>converge diagnose</c> plus the remedy search, run on a copy
/// of your network rebuilt from its initial weights (your model is never touched).
/// </summary>
/// <remarks>
/// Call <see cref="Step"/> once per optimizer step of a full-batch loop (each step is an epoch), or
/// <see cref="Batch"/> per minibatch and <see cref="EndEpoch"/> per epoch; call either after <c>loss.Backward()</c>
/// and before <c>optimizer.Step()</c> (the gradients are read then). With Converge's generic <see cref="Trainer"/>
/// the same watch is one of its observers (<c>trainer.Observe(doctor)</c>, or <see cref="Doctor.Watch(Trainer, TrainingData, IReadOnlyList{string}?)"/>):
/// the trainer makes those calls, and its batch size, clipping and seed are read from its options. Sampling happens at epoch 1 and every 10th
/// epoch, on ≤ 512 rows, as in <see cref="Trainer"/>. The init checks, the hidden-unit probes and the remedy search
/// need a network the doctor can read: a chain [BatchNorm1d] → (Linear → activation)* → Linear → [sigmoid] (layers
/// as children, activations as modules or tensor functions), which it verifies on your data; for other modules it
/// gives the data and loss-curve findings and says why it went no further (<see cref="Readable"/>).
/// </remarks>
public sealed class TrainingWatch : ITrainingObserver, IDisposable
{
    private const int InitRows = 2048;

    private readonly Module _model;
    private readonly Optimizer _optimizer;
    private readonly ElementwiseLoss _criterion;
    private readonly TrainingData _data;
    private readonly ModelChain.Chain? _chain;
    private readonly TrainingProbe? _monitor;
    private readonly TrainingOptions _described;
    private readonly IReadOnlyList<Finding> _before;
    private readonly List<(bool BatchNorm, float[][] State)> _initialWeights;
    private readonly List<EpochLog> _history = [];
    private readonly Stopwatch _clock = new();
    private TimeSpan _trained;
    private (double Sum, int Count) _epoch;
    private int _steps;
    private string? _divergence;
    private bool _disposed;
    private TrainerOptions? _loop;

    internal TrainingWatch(Module model, Optimizer optimizer, ElementwiseLoss criterion, TrainingData data, IReadOnlyList<string>? featureNames)
    {
        (_model, _optimizer, _criterion, _data) = (model, optimizer, criterion, data);
        _chain = ModelChain.Infer(model, data.Features, data.Rows, data.Cols);
        _described = Describe(_chain?.Spec, optimizer, criterion);
        var findings = new List<Finding>(DataChecks.Run(data, featureNames, _described));
        if (_chain is not null)
        {
            _initialWeights = [.. _chain.View.Layers.Where(static l => l is Linear or BatchNorm1d)
                .Select(static l => (l is BatchNorm1d, l.StateDict().Values.Select(static t => (float[])t.Data.Clone()).ToArray()))];
            if (findings.All(static f => f.Code != FindingCodes.NonFiniteValues))
            {
                var n = Math.Min(data.Rows, InitRows);
                var sample = new TrainingData(data.Features.AsSpan(0, n * data.Cols).ToArray(), data.Labels.AsSpan(0, n).ToArray(), n, data.Cols);
                findings.AddRange(InitChecks.Run(_chain.View, sample, _chain.Spec.OutputSigmoid, _described));
            }
            _monitor = new TrainingProbe(_chain.View, data.Features, data.Rows, data.Cols, every: 0);   // sampled by hand, below
        }
        else
        {
            _initialWeights = [];
        }
        _before = findings;
    }

    /// <summary>True when the doctor could read the model as a chain of layers it can probe and rebuild; otherwise <see cref="Limitation"/> says what is left out.</summary>
    public bool Readable => _chain is not null;

    /// <summary>What the doctor could not do with this model, or null when it could do everything.</summary>
    public string? Limitation => Readable ? null
        : "The model is not a chain [BatchNorm1d] → (Linear → activation)* → Linear → [sigmoid] that reproduces its own output, so the init checks, hidden-unit probes and remedy search were skipped; the data and loss-curve findings stand.";

    /// <summary>The architecture the doctor read, e.g. "1 in → 4 sigmoid → 1 sigmoid", or null.</summary>
    public NetworkSpec? Architecture => _chain?.Spec;

    /// <summary>The epochs recorded so far.</summary>
    public IReadOnlyList<EpochLog> History => _history;

    /// <summary>One full-batch step, which is also one epoch: records <paramref name="loss"/> and, on a sampled epoch, the gradients.</summary>
    public void Step(Tensor loss)
    {
        Batch(loss);
        EndEpoch();
    }

    /// <summary>One minibatch step of the current epoch (close the epoch with <see cref="EndEpoch"/>).</summary>
    public void Batch(Tensor loss)
    {
        ArgumentNullException.ThrowIfNull(loss);
        ObjectDisposedException.ThrowIf(_disposed, this);
        RecordBatch(loss.Item());
    }

    /// <summary>Closes an epoch of <see cref="Batch"/> calls; <paramref name="validationLoss"/> is yours to report (NaN when none).</summary>
    public void EndEpoch(double validationLoss = double.NaN)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        RecordEpoch(_epoch.Count == 0 ? double.NaN : _epoch.Sum / _epoch.Count, validationLoss);
    }

    // As one of a Trainer's observers (trainer.Observe(doctor)): the same records, fed by the trainer. After
    // Dispose the trainer's calls are ignored rather than thrown into its loop.
    void ITrainingObserver.TrainingStarted(Trainer trainer) => _loop = trainer.Options;

    void ITrainingObserver.GradientsComputed(in TrainingStep step)
    {
        if (!_disposed) RecordBatch(step.Loss);
    }

    void ITrainingObserver.EpochEnded(EpochLog log)
    {
        if (_disposed) return;
        if (!double.IsFinite(log.TrainLoss)) RecordBatch(log.TrainLoss);   // the diverged epoch: its loss never reached a backward pass
        else RecordEpoch(log.TrainLoss, log.ValidationLoss);
    }

    private void RecordBatch(double loss)
    {
        if (_divergence is not null) return;
        _clock.Start();   // from the first step on: the loop's own cost per epoch sets the search's budget
        _steps++;
        if (!double.IsFinite(loss))
        {
            _divergence = $"epoch {_history.Count + 1}: the training loss became {loss:G4} at learning rate {_optimizer.LearningRate:G3}.";
            _history.Add(new EpochLog(_history.Count + 1, loss, double.NaN, double.NaN, _optimizer.LearningRate, null));
            return;
        }
        _epoch = (_epoch.Sum + loss, _epoch.Count + 1);
        if (Sampled(_history.Count + 1)) _monitor?.RecordGradients();
    }

    private void RecordEpoch(double trainLoss, double validationLoss)
    {
        if (_divergence is not null || _epoch.Count == 0) return;
        var epoch = _history.Count + 1;
        var sample = !Sampled(epoch) ? null : _monitor?.Take() ?? new MonitorSample(GradientNorms(), double.NaN, double.NaN, double.NaN, double.NaN);
        _history.Add(new EpochLog(epoch, trainLoss, validationLoss, double.NaN, _optimizer.LearningRate, sample));
        _epoch = default;
        _trained = _clock.Elapsed;
    }

    /// <summary>
    /// The findings on the data, the network at attachment and the recorded dynamics, then (for a readable model with a
    /// problem) the remedy search on a rebuilt copy from your initial weights, your data and optimizer settings.
    /// </summary>
    public DiagnosisReport Diagnose(DoctorOptions? options = null, CancellationToken cancellation = default)
    {
        options ??= new DoctorOptions();
        var described = _described with
        {
            Epochs = Math.Max(1, _history.Count), BatchSize = _loop?.BatchSize ?? BatchSize(), GradientClip = _loop?.GradientClip ?? 0, Seed = _loop?.Seed ?? _described.Seed,
        };
        var stop = _divergence is null ? StopReason.Completed : StopReason.Diverged;
        var posWeight = (_criterion as BceWithLogitsLoss)?.PosWeight?.Data[0] ?? 1;
        var findings = new List<Finding>(_before);
        findings.AddRange(DynamicsChecks.Run(_history, stop, _divergence, FindingCodes.BaseRateLoss(_data.PositiveRate, posWeight), described));
        var report = DiagnosisReport.From(findings);
        if (_chain is null) return report with { Summary = $"{report.Summary} {Limitation}" };
        if (!options.Confirm || report.Find(FindingCodes.NonFiniteValues) is not null || _history.Count == 0) return report;
        var run = new TrainingRun(_chain.View, _chain.Spec, null, _history, _history.Count, stop, _divergence, _trained,
            _criterion is BceWithLogitsLoss { PosWeight: { } pw } ? pw.Data[0] : null);
        var rebuild = described with { Initialize = CopyInitialWeights };
        return Doctor.WithSearch(report, RemedySearch.Run(_data, null, rebuild, run, report.Findings, options, cancellation));
    }

    /// <summary>
    /// Stops watching: later <see cref="Step"/>, <see cref="Batch"/> or <see cref="EndEpoch"/> calls throw, a trainer's
    /// observer calls are ignored; <see cref="Diagnose"/> still works.
    /// </summary>
    public void Dispose() => _disposed = true;

    private static bool Sampled(int epoch) => epoch == 1 || epoch % 10 == 0;

    private int BatchSize()
    {
        var perEpoch = _history.Count == 0 ? 1 : (double)_steps / _history.Count;
        return perEpoch <= 1 ? 0 : (int)Math.Ceiling(_data.Rows / perEpoch);
    }

    private Dictionary<string, double> GradientNorms()
    {
        var norms = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (name, p) in _model.NamedParameters())
            norms[name] = p.Grad is null ? 0 : System.Numerics.Tensors.TensorPrimitives.Norm<float>(p.Grad);
        return norms;
    }

    /// <summary>Puts the user's initial weights into a rebuilt network, layer by layer, wherever the shapes still match.</summary>
    private void CopyInitialWeights(Sequential rebuilt)
    {
        var targets = rebuilt.Layers.Where(static l => l is Linear or BatchNorm1d).Select(static l => (l is BatchNorm1d, l.StateDict().Values.ToArray())).ToList();
        var sources = _initialWeights;
        if (sources.Count(static s => s.BatchNorm) != targets.Count(static t => t.Item1))
        {
            // An input BatchNorm1d added or removed: match the Linear layers only (the new BatchNorm1d starts as PyTorch's).
            sources = [.. sources.Where(static s => !s.BatchNorm)];
            targets = [.. targets.Where(static t => !t.Item1)];
        }
        if (sources.Count != targets.Count) return;
        for (var i = 0; i < sources.Count; i++)
        {
            var (from, to) = (sources[i].State, targets[i].Item2);
            if (from.Length != to.Length || from.Zip(to).Any(static p => p.First.Length != p.Second.Length)) continue;
            for (var k = 0; k < from.Length; k++) from[k].CopyTo(to[k].Data, 0);
        }
    }

    private static TrainingOptions Describe(NetworkSpec? spec, Optimizer optimizer, ElementwiseLoss criterion)
    {
        var options = new TrainingOptions
        {
            Normalize = spec?.InputBatchNorm == true ? Normalization.BatchNorm : Normalization.None,
            Hidden = spec?.Hidden ?? [],
            Activation = spec?.Activation ?? Activation.Relu,
            Loss = criterion is BceLoss ? LossKind.Bce : LossKind.BceWithLogits,
            PosWeight = criterion is BceWithLogitsLoss { PosWeight: { } pw } ? pw.Data[0] : null,
            LearningRate = optimizer.InitialLearningRate,
            ValidationSplit = 0,
            Patience = 0,
            MonitorEvery = 10,
        };
        return optimizer switch
        {
            AdamW w => options with { Optimizer = OptimizerKind.AdamW, WeightDecay = w.ParamGroups[0].WeightDecay },
            Adam a => options with { Optimizer = OptimizerKind.Adam, WeightDecay = a.ParamGroups[0].WeightDecay },
            Sgd s => options with { Optimizer = OptimizerKind.Sgd, WeightDecay = s.ParamGroups[0].WeightDecay, Momentum = s.Options.Momentum },
            _ => options,
        };
    }
}
