using System.Diagnostics;
using Converge.Data;
using Converge.Losses;
using Converge.Optimizers;
using Converge.Tensors;

namespace Converge.Training;

/// <summary>
/// The built-in tabular network, trained on a <see cref="Trainer"/>: standardize (fitted on the
/// training rows), build the <see cref="NetworkSpec"/> network, make the loss, optimizer and schedule
/// that <see cref="TrainingOptions"/> name, attach the doctor's probe, and run the generic loop.
/// </summary>
public static class TabularRecipe
{
    /// <summary>Trains a network on <paramref name="train"/>, validating on <paramref name="validation"/> when given.</summary>
    /// <param name="train">Raw (unscaled) features and 0/1 labels.</param>
    /// <param name="validation">Held-out rows for validation and early stopping, or null.</param>
    /// <param name="options">The network, optimizer and loop settings.</param>
    /// <param name="progress">Told about each epoch that completes (not the one that diverged).</param>
    /// <param name="cancellation">Checked between epochs.</param>
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
        // The rows stay unscaled: the trainer scales each minibatch and the validation rows block by block (see Trainer.InputScaler).

        var spec = NetworkSpec.For(train.Cols, options);
        var model = spec.Build(new Generator(options.Seed));
        options.Initialize?.Invoke(model);
        var posWeight = ResolvePosWeight(options.PosWeight, train);
        var criterion = CreateLoss(options.Loss, posWeight);
        var optimizer = CreateOptimizer(options, model.Parameters());
        var trainer = new Trainer(model, criterion, optimizer, LoopOptions(options), CreateScheduler(options.Schedule, optimizer, options.Epochs)) { InputScaler = scaler };
        var sampleRows = Math.Min(train.Rows, TrainingProbe.SampleRows);
        var probe = new TrainingProbe(model, Scaled(train.Features.AsSpan(0, sampleRows * train.Cols), scaler), sampleRows, train.Cols, options.MonitorEvery);
        trainer.Observe(probe);
        if (progress is not null) trainer.Observe(new ProgressReporter(progress));

        var result = trainer.Fit(train, validation, cancellation);
        return new TrainingRun(model, spec, scaler, probe.Annotate(result.History), result.BestEpoch,
            result.StopReason, result.Divergence, clock.Elapsed, posWeight);
    }

    /// <summary>The generic loop's share of <paramref name="options"/>.</summary>
    public static TrainerOptions LoopOptions(TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new()
        {
            Epochs = options.Epochs,
            BatchSize = options.BatchSize,
            Seed = options.Seed,
            Patience = options.Patience,
            GradientClip = options.GradientClip,
            StopRequest = options.StopRequest,
        };
    }

    /// <summary>The schedule <paramref name="options"/> names, over <paramref name="optimizer"/>, or null for none.</summary>
    public static ILearningRateScheduler? CreateScheduler(ScheduleOptions options, Optimizer optimizer, int epochs)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Kind switch
        {
            ScheduleKind.Step => new StepLr(optimizer, options.StepSize > 0 ? options.StepSize : Math.Max(1, epochs / 3), options.Gamma),
            ScheduleKind.Cosine => new CosineAnnealingLr(optimizer, epochs, options.MinLearningRate),
            ScheduleKind.Plateau => new ReduceLrOnPlateau(optimizer, factor: options.Factor, patience: options.Patience, minLr: options.MinLearningRate),
            _ => null,
        };
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

    private static float[] Scaled(ReadOnlySpan<float> features, StandardScaler? scaler)
    {
        var x = features.ToArray();
        scaler?.Transform(x);
        return x;
    }
}
