using System.Diagnostics;
using Converge.Data;
using Converge.Losses;
using Converge.Modules;
using Converge.Optimizers;
using Converge.Tensors;

namespace Converge.Training;

/// <summary>
/// The training loop for any <see cref="Module"/>: per epoch, shuffle and run minibatch steps
/// (zero grads → forward → loss → backward → [clip] → step, replaying one recorded graph per batch
/// size), validate in eval mode, step the schedule, stop early or on divergence — keeping the best
/// epoch's weights, and rolling back to the last good ones when the loss or a weight stops being
/// finite. What happens along the way is reported to <see cref="Observers"/>.
/// </summary>
/// <example>
/// The question's network, written by hand and trained like <c>for epoch in range(1000): …</c>:
/// <code>
/// var model = new Sequential(new Linear(1, 4), new Sigmoid(), new Linear(4, 1));
/// var optimizer = new Adam(model.Parameters(), new AdamOptions { LearningRate = 0.01 });
/// var trainer = new Trainer(model, new BceWithLogitsLoss(), optimizer, new TrainerOptions { Epochs = 1000, BatchSize = 0 });
/// var result = trainer.Fit(train);
/// </code>
/// </example>
public sealed class Trainer
{
    private readonly List<ITrainingObserver> _observers = [];

    /// <summary>A trainer for <paramref name="model"/>, minimizing <paramref name="loss"/> with <paramref name="optimizer"/>.</summary>
    /// <param name="model">The network; its output is what <paramref name="loss"/> takes (a logit for <see cref="BceWithLogitsLoss"/>, a probability for <see cref="BceLoss"/>).</param>
    /// <param name="loss">The criterion, called as <c>loss(model(x), y)</c> with y of shape [batch, 1].</param>
    /// <param name="optimizer">Built over the model's parameters.</param>
    /// <param name="options">The loop's settings; null for the defaults.</param>
    /// <param name="scheduler">Stepped once per epoch after the optimizer, with the validation loss (the training loss without validation data).</param>
    public Trainer(Module model, ElementwiseLoss loss, Optimizer optimizer, TrainerOptions? options = null, ILearningRateScheduler? scheduler = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(optimizer);
        options ??= new TrainerOptions();
        options.Validate();
        (Model, Loss, Optimizer, Options, Scheduler) = (model, loss, optimizer, options, scheduler);
    }

    /// <summary>The network being trained.</summary>
    public Module Model { get; }

    /// <summary>The criterion.</summary>
    public ElementwiseLoss Loss { get; }

    /// <summary>The optimizer.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>The loop's settings.</summary>
    public TrainerOptions Options { get; }

    /// <summary>The learning-rate schedule, or null.</summary>
    public ILearningRateScheduler? Scheduler { get; }

    /// <summary>
    /// When set, applied to each minibatch as it is gathered and to the validation rows block by
    /// block, so <see cref="Fit"/> takes features unscaled and no scaled copy of the data is made
    /// (the same numbers: the scaler works element by element).
    /// </summary>
    public StandardScaler? InputScaler { get; init; }

    /// <summary>Who is told what happens during <see cref="Fit"/>, in the order added.</summary>
    public IReadOnlyList<ITrainingObserver> Observers => _observers;

    /// <summary>Adds an observer; returns this trainer, to chain.</summary>
    public Trainer Observe(ITrainingObserver observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        _observers.Add(observer);
        return this;
    }

    /// <summary>Trains on <paramref name="train"/> (features as the model takes them, or as <see cref="InputScaler"/> takes them), validating on <paramref name="validation"/> when given.</summary>
    /// <exception cref="OperationCanceledException">When <paramref name="cancellation"/> fires; checked between epochs.</exception>
    public TrainerResult Fit(TrainingData train, TrainingData? validation = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        train.Validate("training data");
        validation?.Validate("validation data");
        if (validation is not null && validation.Cols != train.Cols)
            throw new ArgumentException($"Validation data has {validation.Cols} features, training data {train.Cols}.", nameof(validation));

        var clock = Stopwatch.StartNew();
        var loop = new TrainingLoop(Model, Loss, Optimizer, Options, _observers, train.Features, train.Labels, train.Rows, train.Cols, InputScaler);
        foreach (var o in _observers) o.TrainingStarted(this);

        var history = new List<EpochLog>();
        // Weight snapshots (last good epoch, best epoch) live in buffers allocated once and copied into.
        var state = Model.StateDict().Values.ToArray();
        var lastGood = Buffers(state);
        var bestState = Buffers(state);
        var best = (Loss: double.PositiveInfinity, Epoch: 0);
        var stop = StopReason.Completed;
        string? divergence = null;
        for (var epoch = 1; epoch <= Options.Epochs; epoch++)
        {
            cancellation.ThrowIfCancellationRequested();
            Copy(state, lastGood);
            var learningRate = Optimizer.LearningRate;
            foreach (var o in _observers) o.EpochStarted(epoch);
            var trainLoss = loop.RunEpoch(epoch);
            if (!double.IsFinite(trainLoss) || !AllFinite(Model))
            {
                Restore(state, lastGood);
                divergence = $"epoch {epoch}: the training loss became {trainLoss:G4} at learning rate {learningRate:G3}; kept the weights from the end of epoch {epoch - 1}.";
                Ended(history, new EpochLog(epoch, trainLoss, double.NaN, double.NaN, learningRate, null));
                stop = StopReason.Diverged;
                break;
            }

            var (validationLoss, validationAccuracy) = validation is null
                ? (double.NaN, double.NaN)
                : Evaluate(Model, Loss, validation.Features, validation.Labels, validation.Rows, validation.Cols, InputScaler);
            Ended(history, new EpochLog(epoch, trainLoss, validationLoss, validationAccuracy, learningRate, null));
            Scheduler?.Step(validation is null ? trainLoss : validationLoss);

            // Without validation data there is nothing to stop on: the last epoch's weights are kept.
            if (validation is null)
            {
                if (!Options.StopRequest.IsCancellationRequested) continue;
                stop = StopReason.Interrupted;
                break;
            }
            if (validationLoss < best.Loss * (1 - 1e-4))
            {
                best = (validationLoss, epoch);
                Copy(state, bestState);
            }
            if (Options.StopRequest.IsCancellationRequested)
            {
                stop = StopReason.Interrupted;
                break;
            }
            if (best.Epoch == epoch) continue;
            if (Options.Patience > 0 && epoch - best.Epoch >= Options.Patience)
            {
                stop = StopReason.EarlyStopped;
                break;
            }
        }
        if (validation is not null && stop != StopReason.Diverged && best.Epoch > 0)
            Restore(state, bestState);
        Model.Eval();
        var bestEpoch = stop == StopReason.Diverged ? history.Count - 1 : validation is null ? history.Count : Math.Max(best.Epoch, 1);
        var result = new TrainerResult(history, bestEpoch, stop, divergence, clock.Elapsed);
        foreach (var o in _observers) o.TrainingEnded(result);
        return result;
    }

    /// <summary>
    /// Mean loss and accuracy of <paramref name="model"/> in eval mode, without recording a graph. The
    /// output is read as a probability for <see cref="BceLoss"/> and as a logit otherwise
    /// (<see cref="NetworkProbability"/>); positive is p ≥ 0.5, the rule everywhere in Converge.
    /// </summary>
    /// <param name="model">The network.</param>
    /// <param name="criterion">The loss.</param>
    /// <param name="features">Row-major features, as the model takes them unless <paramref name="scaler"/> is given.</param>
    /// <param name="labels">0/1 per row.</param>
    /// <param name="rows">Rows in <paramref name="features"/>.</param>
    /// <param name="cols">Features per row.</param>
    /// <param name="scaler">When given, scales the features first (block by block, see <see cref="BlockForward"/>).</param>
    public static (double Loss, double Accuracy) Evaluate(Module model, ElementwiseLoss criterion, float[] features, float[] labels, int rows, int cols,
        StandardScaler? scaler = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(criterion);
        var wasTraining = model.IsTraining;
        model.Eval();
        try
        {
            using var _ = Tensor.NoGrad();
            var outputs = BlockForward.Outputs(model, features, rows, cols, scaler);
            var output = new Tensor(outputs, rows, outputs.Length / Math.Max(rows, 1));
            var loss = criterion.Forward(output, new Tensor(labels, rows, 1)).Item();
            var probabilities = (float[])output.Data.Clone();
            NetworkProbability.FromOutputs(probabilities, outputIsLogit: criterion is not BceLoss);
            var correct = 0;
            for (var i = 0; i < rows; i++)
                if (probabilities[i] >= 0.5f == (labels[i] == 1f)) correct++;
            return (loss, correct / (double)rows);
        }
        finally
        {
            model.Train(wasTraining);
        }
    }

    private void Ended(List<EpochLog> history, EpochLog log)
    {
        history.Add(log);
        foreach (var o in _observers) o.EpochEnded(log);
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
