using System.Globalization;
using Converge.Losses;
using Converge.Modules;
using Converge.Optimizers;
using Converge.Tensors;
using Converge.Tests.Tensors;

namespace Converge.Tests.Training;

/// <summary>
/// The 1000-step runs of training.json → long_runs_full_series on all 1800 samples of hr.11839:
/// standardized inputs, and raw inputs behind BatchNorm1d (the Q&amp;A's two fixes), full batch,
/// Adam lr 0.01, BCELoss after a sigmoid.
/// </summary>
/// <remarks>
/// Tolerance: relative 5e-5 on the losses at steps 0, 1, 10, 100 and 1000 (observed: at most
/// 5.3e-6). The reference is float64; we train in float32, and over 1000 Adam steps the parameters
/// drift from the float64 trajectory by accumulated rounding (~6e-8 relative per operation), which
/// weighs most at step 1000 where the loss is only 0.02–0.04. The 10 000-step raw runs are left
/// out to keep the suite fast.
/// </remarks>
public class QuestionModelLongRunTests
{
    private const double Tolerance = 5e-5;

    private sealed class Model(bool batchNorm) : Module
    {
        private readonly BatchNorm1d? _bn = batchNorm ? new BatchNorm1d(1) : null;
        private readonly Linear _linear = new(1, 4);
        private readonly Linear _linear2 = new(4, 1);

        public BatchNorm1d? BatchNorm => _bn;

        public override Tensor Forward(Tensor input) =>
            _linear2.Forward(_linear.Forward(_bn?.Forward(input) ?? input).Sigmoid()).Sigmoid();

        protected override IEnumerable<(string Name, Module Module)> Children()
        {
            if (_bn is not null) yield return ("bn", _bn);
            yield return ("linear", _linear);
            yield return ("linear2", _linear2);
        }
    }

    [Theory]
    [InlineData("standardized_lr0.01_1000", false)]
    [InlineData("raw_batchnorm_input_lr0.01_1000", true)]
    public void Thousand_full_batch_Adam_steps_reproduce_PyTorch(string name, bool batchNorm)
    {
        var training = ReferenceVectors.Load("training");
        var longRuns = training.GetProperty("long_runs_full_series");
        var run = longRuns.GetProperty(name);
        var bpm = File.ReadLines(Path.Combine(AppContext.BaseDirectory, "TestData", "hr.11839.csv")).Skip(1)
            .Select(static line => double.Parse(line, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(longRuns.GetProperty("n").GetInt32(), bpm.Length);
        var labels = bpm.Select(static v => v > 91 ? 1f : 0f).ToArray();
        Assert.Equal(longRuns.GetProperty("positives").GetInt32(), (int)labels.Sum());
        var standardization = longRuns.GetProperty("standardization");
        var (mean, std) = (standardization.GetProperty("mean").GetDouble(), standardization.GetProperty("std_unbiased").GetDouble());
        var inputs = batchNorm ? bpm.Select(static v => (float)v).ToArray() : bpm.Select(v => (float)((v - mean) / std)).ToArray();
        var x = new Tensor(inputs, bpm.Length, 1);
        var y = new Tensor(labels, bpm.Length, 1);

        var model = new Model(batchNorm);
        var state = model.StateDict();
        var initial = training.GetProperty("initial_params");
        ReferenceVectors.Floats(initial, "W1").CopyTo(state["linear.weight"].Data, 0);
        ReferenceVectors.Floats(initial, "b1").CopyTo(state["linear.bias"].Data, 0);
        ReferenceVectors.Floats(initial, "W2").CopyTo(state["linear2.weight"].Data, 0);
        ReferenceVectors.Floats(initial, "b2").CopyTo(state["linear2.bias"].Data, 0);
        var criterion = new BceLoss();
        var optimizer = new Adam(model.Parameters(), new AdamOptions { LearningRate = run.GetProperty("lr").GetDouble() });
        var checkpoints = run.GetProperty("loss_checkpoints").EnumerateObject()
            .ToDictionary(static p => int.Parse(p.Name, CultureInfo.InvariantCulture), static p => p.Value.GetDouble());
        var steps = run.GetProperty("steps").GetInt32();

        // Capture once, replay every step: the same computation, without rebuilding the graph.
        var graph = Graph.Capture(criterion.Forward(model.Forward(x), y));
        for (var step = 0; ; step++)
        {
            if (step > 0) graph.Forward();
            if (checkpoints.TryGetValue(step, out var expected))
                ReferenceVectors.Close(expected, graph.Output.Item(), Tolerance, 0, $"{name} loss at step {step}");
            if (step == steps) break;
            optimizer.ZeroGrad();
            graph.Backward();
            optimizer.Step();
        }

        model.Eval();
        var predictions = model.Forward(x).Data;
        var accuracy = predictions.Zip(labels, static (p, l) => (p >= 0.5f ? 1f : 0f) == l ? 1.0 : 0.0).Average();
        Assert.Equal(run.GetProperty("final_train_accuracy_eval_mode").GetDouble(), accuracy, 2e-3);   // ±3 of 1800 samples
        if (model.BatchNorm is { } bn)
        {
            var finalBn = run.GetProperty("final_bn");
            Assert.Equal(finalBn.GetProperty("num_batches_tracked").GetInt32(), (int)bn.NumBatchesTracked!.Item());
            ReferenceVectors.Close(ReferenceVectors.Doubles(finalBn, "running_mean"), bn.RunningMean!.Data, 1e-5, 0, "running_mean");
            ReferenceVectors.Close(ReferenceVectors.Doubles(finalBn, "running_var"), bn.RunningVar!.Data, 1e-4, 0, "running_var");
        }
    }
}
