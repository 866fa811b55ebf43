using Converge.Losses;
using Converge.Modules;
using Converge.Optimizers;
using Converge.Tensors;

namespace Converge.Tests.Optimizers;

/// <summary>StateDict/LoadStateDict: a run saved and resumed equals the uninterrupted run, bit for bit.</summary>
public class OptimizerStateTests
{
    private static readonly Tensor X = new([.. Enumerable.Range(0, 24).Select(static i => MathF.Sin(i * 0.7f) * 2)], 12, 2);
    private static readonly Tensor Y = new([.. Enumerable.Range(0, 12).Select(static i => i % 3 == 0 ? 1f : 0f)], 12, 1);

    public static TheoryData<string> Kinds => ["adam", "amsgrad", "adamw-groups", "sgd-nesterov"];

    private static Sequential Model() => new(new Linear(2, 5, generator: new Generator(3)), new Tanh(), new Linear(5, 1, generator: new Generator(4)));

    private static Optimizer Make(string kind, Sequential model) => kind switch
    {
        "adam" => new Adam(model.Parameters(), new AdamOptions { LearningRate = 0.05 }),
        "amsgrad" => new Adam(model.Parameters(), new AdamOptions { LearningRate = 0.05, Amsgrad = true, WeightDecay = 0.01 }),
        "adamw-groups" => new AdamW(
            [new ParameterGroup(model.NamedParameters().Where(static p => p.Name.EndsWith("weight", StringComparison.Ordinal)).Select(static p => p.Value)),
             new ParameterGroup(model.NamedParameters().Where(static p => p.Name.EndsWith("bias", StringComparison.Ordinal)).Select(static p => p.Value), weightDecay: 0)],
            new AdamOptions { LearningRate = 0.05 }),
        _ => new Sgd(model.Parameters(), new SgdOptions { LearningRate = 0.1, Momentum = 0.9, Nesterov = true }),
    };

    private static void Train(Sequential model, Optimizer optimizer, LearningRateScheduler scheduler, int steps)
    {
        var loss = new BceWithLogitsLoss();
        for (var i = 0; i < steps; i++)
        {
            optimizer.ZeroGrad();
            loss.Forward(model.Forward(X), Y).Backward();
            optimizer.Step();
            scheduler.Step();
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Resuming_from_a_state_dict_equals_the_uninterrupted_run(string kind)
    {
        var straight = Model();
        var straightOptimizer = Make(kind, straight);
        var straightSchedule = new CosineAnnealingWarmRestarts(straightOptimizer, t0: 3, tMult: 2);
        Train(straight, straightOptimizer, straightSchedule, 14);

        var first = Model();
        var firstOptimizer = Make(kind, first);
        var firstSchedule = new CosineAnnealingWarmRestarts(firstOptimizer, t0: 3, tMult: 2);
        Train(first, firstOptimizer, firstSchedule, 6);
        var (weights, optimizerState, scheduleState) = (first.StateDict().ToDictionary(static p => p.Key, static p => p.Value.Detach()), firstOptimizer.StateDict(), firstSchedule.StateDict());
        Train(first, firstOptimizer, firstSchedule, 3);   // the snapshot is a copy: later steps do not change it

        var resumed = Model();
        resumed.LoadStateDict(weights);
        var resumedOptimizer = Make(kind, resumed);
        var resumedSchedule = new CosineAnnealingWarmRestarts(resumedOptimizer, t0: 3, tMult: 2);
        resumedOptimizer.LoadStateDict(optimizerState);
        resumedSchedule.LoadStateDict(scheduleState);
        Train(resumed, resumedOptimizer, resumedSchedule, 8);

        foreach (var (name, value) in straight.StateDict()) Assert.Equal(value.Data, resumed.StateDict()[name].Data);
        Assert.Equal(straightOptimizer.LearningRate, resumedOptimizer.LearningRate);
        Assert.Equal(straightSchedule.LastEpoch, resumedSchedule.LastEpoch);
    }

    [Fact]
    public void A_state_of_another_shape_is_refused_with_the_reason()
    {
        var adam = new Adam([Tensor.Parameter([1f, 2f], 2)]);
        var other = new Adam([Tensor.Parameter([1f, 2f, 3f], 3)]);
        var p = other.Parameters[0];
        p.Sum().Backward();
        other.Step();
        var error = Assert.Throws<ArgumentException>(() => adam.LoadStateDict(other.StateDict()));
        Assert.Contains("exp_avg", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new Sgd([Tensor.Parameter([1f, 2f], 2)]).LoadStateDict(new Adam([Tensor.Parameter([1f], 1), Tensor.Parameter([1f], 1)]).StateDict()));
    }
}
