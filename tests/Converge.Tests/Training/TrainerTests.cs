using Converge.Data;
using Converge.Losses;
using Converge.Modules;
using Converge.Optimizers;
using Converge.Tensors;
using Converge.Training;

namespace Converge.Tests.Training;

/// <summary>The generic loop on a model the user wrote: the question's <c>Model(nn.Module)</c>.</summary>
public class TrainerTests
{
    // class Model(nn.Module): linear = Linear(1, 4); linear2 = Linear(4, 1); forward = linear2(sigmoid(linear(x)))
    private sealed class QuestionModel : Module
    {
        private readonly Linear _linear;
        private readonly Linear _linear2;

        public QuestionModel(Generator generator)
        {
            _linear = new Linear(1, 4, generator: generator);
            _linear2 = new Linear(4, 1, generator: generator);
        }

        public override Tensor Forward(Tensor input) => _linear2.Forward(_linear.Forward(input).Sigmoid());

        protected override IEnumerable<(string Name, Module Module)> Children()
        {
            yield return ("linear", _linear);
            yield return ("linear2", _linear2);
        }
    }

    private static TrainingData HeartRate(bool standardize)
    {
        var bpm = BuiltInData.HeartRate();
        var (mean, std) = (Statistics.Mean(bpm), Statistics.Std(bpm, unbiased: false));
        var x = bpm.Select(v => (float)(standardize ? (v - mean) / std : v)).ToArray();
        return new TrainingData(x, BuiltInData.HeartRateLabels(), x.Length, 1);
    }

    private static double BaseRateLoss(TrainingData d)
    {
        var p = d.PositiveRate;
        return -(p * Math.Log(p) + (1 - p) * Math.Log(1 - p));
    }

    [Fact]
    public void A_user_written_module_learns_the_standardized_series_as_the_answer_says()
    {
        var data = HeartRate(standardize: true);
        var model = new QuestionModel(new Generator(3));
        var optimizer = new Adam(model.Parameters(), new AdamOptions { LearningRate = 0.01 });
        var trainer = new Trainer(model, new BceWithLogitsLoss(), optimizer, new TrainerOptions { Epochs = 1000, BatchSize = 0 });
        var result = trainer.Fit(data);
        Assert.Equal(1000, result.History.Count);
        Assert.Equal(StopReason.Completed, result.StopReason);
        Assert.True(result.History[^1].TrainLoss < 0.1 * BaseRateLoss(data), $"final loss {result.History[^1].TrainLoss}, base rate {BaseRateLoss(data)}");
    }

    private sealed class Recorder : ITrainingObserver
    {
        public List<string> Events { get; } = [];
        public void TrainingStarted(Trainer trainer) => Events.Add("start");
        public void EpochStarted(int epoch) => Events.Add($"epoch {epoch}");
        public void GradientsComputed(in TrainingStep step) => Events.Add($"grad {step.Epoch}.{step.Batch}{(step.IsLastBatch ? " last" : "")}");
        public void EpochEnded(EpochLog log) => Events.Add($"end {log.Epoch}");
        public void TrainingEnded(TrainerResult result) => Events.Add($"done {result.StopReason}");
    }

    [Fact]
    public void Observers_hear_every_step_in_order()
    {
        var data = HeartRate(standardize: true).Select([.. Enumerable.Range(0, 10)]);
        var model = new QuestionModel(new Generator(1));
        var recorder = new Recorder();
        new Trainer(model, new BceWithLogitsLoss(), new Sgd(model.Parameters(), new SgdOptions { LearningRate = 0.1 }),
            new TrainerOptions { Epochs = 2, BatchSize = 4 }).Observe(recorder).Fit(data);
        // 10 rows in batches of 4: 4, 4, 2.
        Assert.Equal(["start", "epoch 1", "grad 1.0", "grad 1.1", "grad 1.2 last", "end 1", "epoch 2", "grad 2.0", "grad 2.1", "grad 2.2 last", "end 2", "done Completed"],
            recorder.Events);
    }

    [Fact]
    public void A_plateau_schedule_steps_on_the_validation_loss_through_the_common_interface()
    {
        var data = HeartRate(standardize: true);
        var model = new QuestionModel(new Generator(2));
        var optimizer = new Sgd(model.Parameters(), new SgdOptions { LearningRate = 1e-6 });
        // A learning rate this small cannot improve the loss by the relative 1e-4 threshold: every epoch is a bad one.
        var plateau = new ReduceLrOnPlateau(optimizer, factor: 0.5, patience: 1);
        var result = new Trainer(model, new BceWithLogitsLoss(), optimizer, new TrainerOptions { Epochs = 6, BatchSize = 0 }, plateau).Fit(data, data);
        Assert.Equal(6, plateau.LastEpoch);
        // Epoch 1 sets the best; epochs 2–3 are bad → cut after 3; 4–5 bad → cut after 5; epoch 6 runs at the cut rate.
        Assert.Equal(0.25e-6, optimizer.LearningRate, 15);
        Assert.Equal([1e-6, 1e-6, 1e-6, 0.5e-6, 0.5e-6, 0.25e-6], result.History.Select(h => h.LearningRate));
    }

    [Fact]
    public void A_warm_up_then_cosine_sequence_steps_once_per_epoch()
    {
        var data = HeartRate(standardize: true);
        var model = new QuestionModel(new Generator(4));
        var optimizer = new Adam(model.Parameters(), new AdamOptions { LearningRate = 0.02 });
        var schedule = new SequentialLr(optimizer, [new LinearLr(optimizer, startFactor: 0.25, totalIters: 3), new CosineAnnealingLr(optimizer, tMax: 4)], [3]);
        var result = new Trainer(model, new BceWithLogitsLoss(), optimizer, new TrainerOptions { Epochs = 7, BatchSize = 0 }, schedule).Fit(data);
        // The rates each epoch ran at: the warm-up 0.25, 0.5, 0.75 of 0.02, then the cosine from 0.02 down.
        double[] expected = [0.005, 0.01, 0.015, 0.02, 0.02 * (1 + Math.Cos(Math.PI / 4)) / 2, 0.01, 0.02 * (1 + Math.Cos(3 * Math.PI / 4)) / 2];
        Assert.Equal(expected.Length, result.History.Count);
        for (var i = 0; i < expected.Length; i++) Assert.Equal(expected[i], result.History[i].LearningRate, 12);
    }

    [Fact]
    public void A_plateau_schedule_refuses_to_step_without_its_metric()
    {
        var optimizer = new Sgd([Tensor.Zeros(1, 1)], new SgdOptions { LearningRate = 0.1 });
        ILearningRateScheduler plateau = new ReduceLrOnPlateau(optimizer);
        Assert.Throws<InvalidOperationException>(() => plateau.Step());
    }

    [Fact]
    public void Early_stopping_restores_the_best_epoch_of_a_user_model()
    {
        var data = HeartRate(standardize: true);
        var model = new QuestionModel(new Generator(4));
        var optimizer = new Adam(model.Parameters(), new AdamOptions { LearningRate = 0.5 });
        var result = new Trainer(model, new BceWithLogitsLoss(), optimizer, new TrainerOptions { Epochs = 300, BatchSize = 0, Patience = 5 }).Fit(data, data);
        var best = result.History.Where(h => h.Epoch <= result.History.Count).MinBy(h => h.ValidationLoss)!;
        Assert.Equal(best.Epoch, result.BestEpoch);
        var (loss, _) = Trainer.Evaluate(model, new BceWithLogitsLoss(), data.Features, data.Labels, data.Rows, data.Cols);
        Assert.Equal(best.ValidationLoss, loss, 5);
    }
}

public class StopReasonNamesTests
{
    [Theory]
    [InlineData(StopReason.Completed, "completed")]
    [InlineData(StopReason.EarlyStopped, "early_stopped")]
    [InlineData(StopReason.Diverged, "diverged")]
    [InlineData(StopReason.Interrupted, "interrupted")]
    public void Every_stop_reason_has_one_json_spelling_also_from_its_stored_name(StopReason reason, string json)
    {
        Assert.Equal(json, reason.JsonName());
        Assert.Equal(json, StopReasonNames.JsonName(reason.ToString()));
    }
}
