using System.Diagnostics;
using Converge.Data;
using Converge.Losses;
using Converge.Modules;
using Converge.Optimizers;
using Converge.Tensors;

namespace Converge.Training;

/// <summary>
/// The fit loop: standardize (fitted on the training rows), build the network, then per epoch
/// shuffle, run minibatch steps (zero grads → forward → loss → backward → [clip] → step),
/// validate in eval mode, step the schedule, record the history, stop early or on divergence.
/// This is the only stage that knows every other one.
/// </summary>
public static class Trainer
{
    /// <summary>Trains a network on <paramref name="train"/>, validating on <paramref name="validation"/> when given.</summary>
    public static TrainingRun Fit(TrainingData train, TrainingData? validation, TrainingOptions options,
        IProgress<EpochLog>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        train.Validate("training data");
        validation?.Validate("validation data");
        if (validation is not null && validation.Cols != train.Cols)
            throw new ArgumentException($"Validation data has {validation.Cols} features, training data {train.Cols}.", nameof(validation));

        var clock = Stopwatch.StartNew();
        var scaler = options.Normalize == Normalization.Standard ? StandardScaler.Fit(train.Features, train.Rows, train.Cols) : null;
        var xTrain = Scaled(train, scaler);
        var xValidation = validation is null ? null : Scaled(validation, scaler);

        var spec = new NetworkSpec(train.Cols, options.Hidden, options.Activation, options.Normalize == Normalization.BatchNorm, options.Loss == LossKind.Bce);
        var model = spec.Build(new Generator(options.Seed));
        options.Initialize?.Invoke(model);
        var posWeight = ResolvePosWeight(options.PosWeight, train);
        var criterion = CreateLoss(options.Loss, posWeight);
        var optimizer = CreateOptimizer(options, model.Parameters());
        var loop = new TrainingLoop(model, criterion, optimizer, options, xTrain, train.Labels, train.Rows, train.Cols);
        var schedule = ScheduleStepper.Create(options.Schedule, optimizer, options.Epochs);

        var history = new List<EpochLog>();
        var monitor = new Monitor(model, xTrain, train.Rows, train.Cols);
        // Weight snapshots (last good epoch, best epoch) live in buffers allocated once and copied into.
        var state = model.StateDict().Values.ToArray();
        var lastGood = Buffers(state);
        var bestState = Buffers(state);
        var best = (Loss: double.PositiveInfinity, Epoch: 0);
        var stop = StopReason.Completed;
        string? divergence = null;
        for (var epoch = 1; epoch <= options.Epochs; epoch++)
        {
            cancellation.ThrowIfCancellationRequested();
            Copy(state, lastGood);
            var learningRate = optimizer.LearningRate;
            var monitorNow = options.MonitorEvery > 0 && (epoch == 1 || epoch % options.MonitorEvery == 0);
            var trainLoss = loop.RunEpoch(monitorNow ? monitor : null);
            if (!double.IsFinite(trainLoss) || !AllFinite(model))
            {
                Restore(state, lastGood);
                divergence = $"epoch {epoch}: the training loss became {trainLoss:G4} at learning rate {learningRate:G3}; kept the weights from the end of epoch {epoch - 1}.";
                history.Add(new EpochLog(epoch, trainLoss, double.NaN, double.NaN, learningRate, monitorNow ? monitor.Take() : null));
                stop = StopReason.Diverged;
                break;
            }

            var (validationLoss, validationAccuracy) = xValidation is null
                ? (double.NaN, double.NaN)
                : Evaluate(model, criterion, xValidation, validation!.Labels, validation.Rows, validation.Cols);
            var log = new EpochLog(epoch, trainLoss, validationLoss, validationAccuracy, learningRate, monitorNow ? monitor.Take() : null);
            history.Add(log);
            progress?.Report(log);
            schedule.AfterEpoch(xValidation is null ? trainLoss : validationLoss);

            // Without a validation split there is nothing to stop on: the last epoch's weights are kept.
            if (xValidation is null)
            {
                if (!options.StopRequest.IsCancellationRequested) continue;
                stop = StopReason.Interrupted;
                break;
            }
            if (validationLoss < best.Loss * (1 - 1e-4))
            {
                best = (validationLoss, epoch);
                Copy(state, bestState);
            }
            if (options.StopRequest.IsCancellationRequested)
            {
                stop = StopReason.Interrupted;
                break;
            }
            if (best.Epoch == epoch) continue;
            if (options.Patience > 0 && epoch - best.Epoch >= options.Patience)
            {
                stop = StopReason.EarlyStopped;
                break;
            }
        }
        if (xValidation is not null && stop != StopReason.Diverged && best.Epoch > 0)
            Restore(state, bestState);
        model.Eval();
        return new TrainingRun(model, spec, scaler, history, stop == StopReason.Diverged ? history.Count - 1 : xValidation is null ? history.Count : Math.Max(best.Epoch, 1),
            stop, divergence, clock.Elapsed, posWeight);
    }

    /// <summary>Mean loss and accuracy (threshold 0.5) of the model in eval mode, without recording a graph.</summary>
    public static (double Loss, double Accuracy) Evaluate(Module model, ElementwiseLoss criterion, float[] features, float[] labels, int rows, int cols)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(criterion);
        var wasTraining = model.IsTraining;
        model.Eval();
        try
        {
            using var _ = Tensor.NoGrad();
            var output = model.Forward(new Tensor(features, rows, cols));
            var loss = criterion.Forward(output, new Tensor(labels, rows, 1)).Item();
            var outputIsProbability = criterion is BceLoss;
            var correct = 0;
            for (var i = 0; i < rows; i++)
            {
                // p ≥ 0.5 is positive, as everywhere else (BinaryMetrics, Predict, ONNX): logit ≥ 0.
                var positive = outputIsProbability ? output.Data[i] >= 0.5f : output.Data[i] >= 0f;
                if (positive == (labels[i] == 1f)) correct++;
            }
            return (loss, correct / (double)rows);
        }
        finally
        {
            model.Train(wasTraining);
        }
    }

    internal static ElementwiseLoss CreateLoss(LossKind kind, double? posWeight) => kind switch
    {
        LossKind.Bce => new BceLoss(),
        _ => new BceWithLogitsLoss(posWeight: posWeight is { } pw ? Tensor.FromArray([(float)pw]) : null),
    };

    internal static Optimizer CreateOptimizer(TrainingOptions options, IEnumerable<Tensor> parameters) => options.Optimizer switch
    {
        OptimizerKind.Adam => new Adam(parameters, new AdamOptions { LearningRate = options.LearningRate, WeightDecay = options.WeightDecay }),
        OptimizerKind.AdamW => new AdamW(parameters, new AdamOptions { LearningRate = options.LearningRate, WeightDecay = options.WeightDecay == 0 ? AdamW.DefaultWeightDecay : options.WeightDecay }),
        _ => new Sgd(parameters, new SgdOptions { LearningRate = options.LearningRate, Momentum = options.Momentum, WeightDecay = options.WeightDecay }),
    };

    private static double? ResolvePosWeight(double? requested, TrainingData train)
    {
        if (requested is not { } pw) return null;
        if (!double.IsNaN(pw)) return pw;
        var positives = train.Labels.Count(static l => l == 1f);
        return positives == 0 ? 1.0 : (train.Rows - positives) / (double)positives;   // "auto": #neg/#pos
    }

    private static float[] Scaled(TrainingData data, StandardScaler? scaler)
    {
        var x = (float[])data.Features.Clone();
        scaler?.Transform(x);
        return x;
    }

    private static float[][] Buffers(Tensor[] state) => [.. state.Select(static t => new float[t.Length])];

    private static void Copy(Tensor[] state, float[][] buffers)
    {
        for (var i = 0; i < state.Length; i++) state[i].Data.CopyTo(buffers[i], 0);
    }

    private static void Restore(Tensor[] state, float[][] buffers)
    {
        for (var i = 0; i < state.Length; i++) buffers[i].CopyTo(state[i].Data, 0);
    }

    // A NaN or ±∞ anywhere makes the sum non-finite (finite sums of finite floats only overflow on divergence anyway).
    private static bool AllFinite(Module model) =>
        model.Parameters().All(static p => float.IsFinite(System.Numerics.Tensors.TensorPrimitives.Sum<float>(p.Data)));
}
