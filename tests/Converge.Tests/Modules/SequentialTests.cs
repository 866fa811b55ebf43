using Converge.Modules;
using Converge.Tensors;
using Converge.Tests.Tensors;

namespace Converge.Tests.Modules;

/// <summary>Sequential: composition, gradients through every layer, PyTorch's names, mode propagation.</summary>
public class SequentialTests
{
    private static Sequential NewModel() => new(
        new Linear(3, 4, generator: new Generator(1)),
        new Tanh(),
        new Linear(4, 4, generator: new Generator(2)),
        new LeakyReLU(0.1f),
        new BatchNorm1d(4),
        new Linear(4, 1, generator: new Generator(3)),
        new Sigmoid());

    [Fact]
    public void Gradients_of_input_and_every_parameter_pass_gradcheck()
    {
        var model = NewModel();
        var x = GradCheck.Parameter(71, [6, 3]);
        GradCheck.Check(() => model.Forward(x), [x, .. model.Parameters()]);
    }

    [Fact]
    public void Forward_applies_the_layers_in_order()
    {
        var model = NewModel();
        var x = GradCheck.Parameter(72, [5, 3]);
        model.Eval();   // eval: BatchNorm uses running statistics, so both paths see the same state
        var y = model.Forward(x);
        var manual = x;
        foreach (var layer in model.Layers) manual = layer.Forward(manual);
        Assert.Equal(manual.Data, y.Data);
        Assert.Equal([5, 1], y.Shape);
    }

    [Fact]
    public void Names_and_modes_follow_PyTorch()
    {
        var model = NewModel();
        Assert.Equal(["0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias", "5.weight", "5.bias"], model.NamedParameters().Select(static p => p.Name));
        Assert.Equal(["4.running_mean", "4.running_var", "4.num_batches_tracked"], model.NamedBuffers().Select(static b => b.Name));
        Assert.Equal(7, model.Count);
        model.Eval();
        Assert.All(model.Layers, static layer => Assert.False(layer.IsTraining));
        model.Train();
        Assert.All(model.Layers, static layer => Assert.True(layer.IsTraining));
    }

    [Fact]
    public void StateDict_round_trips_into_a_differently_initialized_model()
    {
        var source = NewModel();
        source.Forward(GradCheck.Parameter(73, [4, 3]));   // moves the BatchNorm buffers off their defaults
        var target = new Sequential(
            new Linear(3, 4, generator: new Generator(10)), new Tanh(), new Linear(4, 4, generator: new Generator(11)),
            new LeakyReLU(0.1f), new BatchNorm1d(4), new Linear(4, 1, generator: new Generator(12)), new Sigmoid());
        target.LoadStateDict(source.StateDict());
        foreach (var (name, value) in source.StateDict())
            Assert.Equal(value.Data, target.StateDict()[name].Data);
        var missing = new Dictionary<string, Tensor>(source.StateDict(), StringComparer.Ordinal);
        missing.Remove("2.bias");
        var error = Assert.Throws<ArgumentException>(() => target.LoadStateDict(missing));
        Assert.Contains("2.bias", error.Message, StringComparison.Ordinal);
    }
}
