using Converge.Data;
using Converge.Evaluation;
using Converge.Losses;
using Converge.Modules;
using Converge.Optimizers;
using Converge.Tensors;
using Converge.Training;

namespace Converge.Cli.Demo;

/// <summary>
/// Trains the demo's scenarios the way the question did: full batch, one Adam step per epoch,
/// the loss recorded every epoch.
/// </summary>
public static class DemoRunner
{
    /// <summary>Runs every scenario of <paramref name="options"/> in order.</summary>
    public static DemoResult Run(DemoOptions? options = null, IProgress<DemoProgress>? progress = null, CancellationToken cancellation = default)
    {
        options ??= new DemoOptions();
        var results = new List<ScenarioResult>();
        var total = TimeSpan.Zero;
        foreach (var scenario in options.Scenarios)
        {
            var result = RunScenario(scenario.Scaled(options.EpochDivisor), options.Seed, progress, cancellation);
            results.Add(result);
            total += result.Elapsed;
        }
        return new DemoResult(options.Seed, options.EpochDivisor, results, total);
    }

    /// <summary>
    /// Trains one scenario from the initial weights that <paramref name="seed"/> draws, or that
    /// <paramref name="initialize"/> writes over them (to start from a reference run's weights).
    /// </summary>
    public static ScenarioResult RunScenario(DemoScenario scenario, ulong seed, IProgress<DemoProgress>? progress = null,
        CancellationToken cancellation = default, Action<Sequential>? initialize = null)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        if (scenario.Epochs < 1) throw new ArgumentOutOfRangeException(nameof(scenario), $"Demo: scenario {scenario.Number} needs at least one epoch, got {scenario.Epochs}.");
        var (inputs, labels, cols, standardization) = Load(scenario);
        var rows = labels.Length;
        var x = new Tensor(inputs, rows, cols);
        var y = new Tensor(labels, rows, 1);

        var model = new NetworkSpec(cols, [QuestionHiddenUnits], Activation.Sigmoid, scenario.InputBatchNorm, OutputSigmoid: !scenario.Logits).Build(new Generator(seed));
        initialize?.Invoke(model);
        ElementwiseLoss criterion = scenario.Logits ? new BceWithLogitsLoss() : new BceLoss();
        var optimizer = new Adam(model.Parameters(), new AdamOptions { LearningRate = scenario.LearningRate });
        ILearningRateScheduler? scheduler = scenario.StepSize is { } stepSize ? new StepLr(optimizer, stepSize, scenario.Gamma) : null;
        var saturatedAtStart = HiddenSaturation(model, x);

        // The question's loop: full batch, one step per epoch, no validation, no early stopping.
        var watcher = new ScenarioWatcher(scenario, model.Layers.OfType<Linear>().First(), progress);
        var trainer = new Trainer(model, criterion, optimizer, new TrainerOptions { Epochs = scenario.Epochs, BatchSize = 0 }, scheduler).Observe(watcher);
        var run = trainer.Fit(new TrainingData(inputs, labels, rows, cols), cancellation: cancellation);
        var losses = new float[scenario.Epochs + 1];
        for (var i = 0; i < run.History.Count; i++) losses[i] = (float)run.History[i].TrainLoss;
        losses[^1] = Loss(model, criterion, x, y);   // the loss at the final parameters
        progress?.Report(new DemoProgress(scenario, scenario.Epochs, losses[^1]));

        var saturatedAtEnd = HiddenSaturation(model, x);
        var probabilities = Predict(model, x, scenario.Logits);
        var accuracy = BinaryMetrics.Compute(probabilities, labels).Accuracy;   // p ≥ 0.5, the rule everywhere
        var converged = Array.FindIndex(losses, static l => l < DemoScenarios.ConvergedLoss);
        return new ScenarioResult(scenario, seed, model, inputs, labels, rows, cols, standardization, losses, [.. run.History.Select(static h => h.LearningRate)],
            probabilities, accuracy, converged < 0 ? null : converged, saturatedAtStart, saturatedAtEnd,
            watcher.FirstGradientNorm, run.Elapsed);
    }

    /// <summary>The question's hidden width: Linear(·, 4).</summary>
    public const int QuestionHiddenUnits = 4;

    // The full-batch loss in training mode (as the loop sees it: an input BatchNorm1d uses the batch's statistics).
    private static float Loss(Sequential model, ElementwiseLoss criterion, Tensor x, Tensor y)
    {
        model.Train();
        using var _ = Tensor.NoGrad();
        return criterion.Forward(model.Forward(x), y).Item();
    }

    // Reports progress about 100 times per scenario and keeps the first step's gradient norm.
    private sealed class ScenarioWatcher(DemoScenario scenario, Linear firstLinear, IProgress<DemoProgress>? progress) : ITrainingObserver
    {
        private readonly int _reportEvery = Math.Max(1, scenario.Epochs / 100);

        public double FirstGradientNorm { get; private set; }

        public void GradientsComputed(in TrainingStep step)
        {
            if (step.Epoch == 1) FirstGradientNorm = Math.Sqrt(firstLinear.Weight.Grad!.Sum(static g => (double)g * g));
        }

        public void EpochEnded(EpochLog log)
        {
            if (log.Epoch == 1) progress?.Report(new DemoProgress(scenario, 0, (float)log.TrainLoss));   // epoch 1's loss is at the initial weights
            if (log.Epoch % _reportEvery == 0 && log.Epoch < scenario.Epochs) progress?.Report(new DemoProgress(scenario, log.Epoch, (float)log.TrainLoss));
        }
    }

    /// <summary>The eval-mode probability of each row (σ of the logit when the model ends without a sigmoid).</summary>
    public static float[] Predict(Sequential model, Tensor x, bool logits)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(x);
        model.Eval();   // and left so: the plots read the trained model in eval mode
        return NetworkProbability.Of(model, x.Data, x.Rows, x.Cols, outputIsLogit: logits);
    }

    /// <summary>
    /// Fraction of hidden sigmoid outputs below 0.01 or above 0.99 over all rows, as training sees them
    /// (an input BatchNorm1d uses the batch's statistics), without side effects: <see cref="TrainingProbe.Saturation"/>.
    /// </summary>
    public static double HiddenSaturation(Sequential model, Tensor x) => TrainingProbe.Saturation(model, x, batchStatistics: true).Saturated;

    private static (float[] Inputs, float[] Labels, int Cols, (double Mean, double Std)? Standardization) Load(DemoScenario scenario)
    {
        double[] values;
        float[] labels;
        int cols;
        if (scenario.Dataset == DemoDataset.Circles)
        {
            (values, labels) = BuiltInData.Circles();
            cols = 2;
        }
        else
        {
            (values, labels) = (BuiltInData.HeartRate(), BuiltInData.HeartRateLabels());
            cols = 1;
        }
        if (!scenario.Standardize) return ([.. values.Select(static v => (float)v)], labels, cols, null);
        if (cols != 1) throw new NotSupportedException($"Demo: standardizing is defined for the one-feature heart-rate data, scenario {scenario.Number} has {cols} features.");
        // In double, then float32, as the reference runs did.
        var (mean, std) = (Statistics.Mean(values), Statistics.Std(values));
        return ([.. values.Select(v => (float)((v - mean) / std))], labels, cols, (mean, std));
    }
}
