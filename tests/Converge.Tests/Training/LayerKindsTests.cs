using Converge.Diagnosis;
using Converge.Export;
using Converge.Modules;
using Converge.Tensors;
using Converge.Tests.Export;
using Converge.Training;

namespace Converge.Tests.Training;

/// <summary>
/// The layer-kind table is the single source: every module of the library and every <see cref="Activation"/> has a row,
/// and each row's predictor forward, ONNX node and module forward compute the same function; the probes and the
/// doctor's model reading take their rules from it.
/// </summary>
public class LayerKindsTests
{
    public static TheoryData<Activation> Activations() => [.. Enum.GetValues<Activation>()];

    [Fact]
    public void Every_module_of_the_library_but_the_container_has_exactly_one_row()
    {
        var modules = typeof(Module).Assembly.GetTypes()
            .Where(static t => t.IsSubclassOf(typeof(Module)) && !t.IsAbstract && t != typeof(Sequential)).ToList();
        Assert.NotEmpty(modules);
        foreach (var type in modules)
            Assert.Single(LayerKinds.All, k => k.ModuleType == type);
        Assert.Equal(LayerKinds.All.Count, LayerKinds.All.Select(static k => k.Name).Distinct().Count());
        Assert.Null(LayerKinds.Of(new Sequential()));
    }

    [Theory]
    [MemberData(nameof(Activations))]
    public void Every_activation_has_a_complete_elementwise_row(Activation activation)
    {
        var kind = LayerKinds.For(activation);
        Assert.Equal(activation, kind.Activation);
        Assert.Equal(LayerRole.Elementwise, kind.Role);
        Assert.NotNull(kind.Forward);
        Assert.False(string.IsNullOrEmpty(kind.OnnxOp));
        var module = NetworkSpec.ActivationModule(activation);
        Assert.IsType(kind.ModuleType, module);
        Assert.Same(kind, LayerKinds.Of(module));
        Assert.Contains(kind.Name, LayerKinds.Names, StringComparison.Ordinal);
    }

    [Fact]
    public void Only_elementwise_rows_are_activations_and_each_activation_has_one_row()
    {
        var activations = LayerKinds.All.Where(static k => k.Activation is not null).ToList();
        Assert.Equal(Enum.GetValues<Activation>().Length, activations.Count);
        Assert.All(activations, static k => Assert.Equal(LayerRole.Elementwise, k.Role));
        Assert.All(LayerKinds.All.Where(static k => k.Role != LayerRole.Elementwise),
            static k => Assert.True(k.Forward is null && k.IsSaturated is null && !k.Dies, k.Name));
    }

    [Theory]
    [MemberData(nameof(Activations))]
    public void Predictor_module_forward_and_onnx_runtime_agree_for_every_activation(Activation activation)
    {
        // Inputs scaled so every activation sees both signs and its saturated range.
        var g = new Generator(11);
        var network = new Sequential(new Linear(3, 6, generator: g), NetworkSpec.ActivationModule(activation), new Linear(6, 1, generator: g));
        network.Eval();
        const int Rows = 40;
        var x = Reference.RandomFloats(12, Rows * 3, scale: 8f);

        var forward = NetworkProbability.Of(network, (float[])x.Clone(), Rows, 3, outputIsLogit: true);
        var batch = new float[Rows];
        var predictor = Predictor.Create(network, scaler: null, outputIsLogit: true);
        predictor.PredictProbabilities(x, batch);
        var b = new OnnxGraphBuilder();
        var input = b.AddInput("X", OnnxElementType.Float, OnnxDim.Batch, 3);
        OnnxExporter.AddNetwork(b, input, network, 3, applySigmoid: true);
        b.AddOutput(OnnxExporter.ProbabilityOutput, OnnxElementType.Float, OnnxDim.Batch, 1);
        var onnx = OrtHarness.Run(b.Build("network"), ("X", x, [Rows, 3]))[OnnxExporter.ProbabilityOutput].Floats;

        var spread = forward.Max() - forward.Min();
        Assert.True(spread > 0.01f, $"{activation}: the outputs hardly vary ({spread}), the check would be vacuous");
        for (var r = 0; r < Rows; r++)
        {
            Assert.True(Math.Abs(batch[r] - forward[r]) <= 1e-5, $"{activation} row {r}: predictor batch {batch[r]} vs forward {forward[r]}");
            var single = predictor.PredictProbability(x.AsSpan(r * 3, 3));
            Assert.True(Math.Abs(single - forward[r]) <= 1e-5, $"{activation} row {r}: predictor row {single} vs forward {forward[r]}");
            Assert.True(Math.Abs(onnx[r] - forward[r]) <= 1e-5, $"{activation} row {r}: ONNX Runtime {onnx[r]} vs forward {forward[r]}");
        }
    }

    [Fact]
    public void The_table_rules_saturation_and_dying_units()
    {
        // Two rows of three units: unit 0 saturated/positive on both rows, unit 1 never above 0, unit 2 mixed.
        float[] sigmoid = [0.995f, 0.005f, 0.5f, 0.999f, 0.2f, 0.009f];
        Assert.Equal((4L, 6L, 0, 0), LayerKinds.Sigmoid.Measure(sigmoid, 2, 3));
        float[] tanh = [0.995f, -0.995f, 0.5f, -0.999f, 0.2f, 0.98f];
        Assert.Equal((3L, 6L, 0, 0), LayerKinds.Tanh.Measure(tanh, 2, 3));
        float[] relu = [1f, 0f, 0f, 2f, 0f, 3f];
        Assert.Equal((0L, 0L, 1, 3), LayerKinds.ReLU.Measure(relu, 2, 3));
        float[] leaky = [1f, -0.01f, -0.02f, 2f, -0.5f, 3f];
        Assert.Equal((0L, 0L, 1, 3), LayerKinds.LeakyReLU.Measure(leaky, 2, 3));
        Assert.Equal((0L, 0L, 0, 0), LayerKinds.Linear.Measure(relu, 2, 3));
    }

    [Fact]
    public void The_probe_reads_saturation_through_the_table()
    {
        // A hidden sigmoid driven to its limits by huge weights: every hidden output saturated.
        var network = new Sequential(new Linear(1, 4), new Sigmoid(), new Linear(4, 1));
        var first = (Linear)network[0];
        Array.Fill(first.Weight.Data, 100f);
        Array.Fill(first.Bias!.Data, 0f);
        var sample = new Tensor([-3f, -1f, 1f, 3f], 4, 1);
        Assert.Equal(1.0, TrainingProbe.Saturation(network, sample).Saturated);
        var relu = new Sequential(new Linear(1, 4), new ReLU(), new Linear(4, 1));
        var reluFirst = (Linear)relu[0];
        Array.Fill(reluFirst.Weight.Data, 0f);
        Array.Fill(reluFirst.Bias!.Data, -1f);
        Assert.Equal(1.0, TrainingProbe.Saturation(relu, sample).Dead);
    }

    [Theory]
    [MemberData(nameof(Activations))]
    public void The_doctor_reads_a_hand_written_chain_of_every_activation(Activation activation)
    {
        var g = new Generator(3);
        var network = new Sequential(new Linear(2, 5, generator: g), NetworkSpec.ActivationModule(activation), new Linear(5, 1, generator: g));
        var x = Reference.RandomFloats(4, 2 * 64, scale: 2f);
        var chain = ModelChain.Infer(network, x, 64, 2);
        Assert.NotNull(chain);
        Assert.Equal(activation, chain.Spec.Activation);
        Assert.Equal([5], chain.Spec.Hidden);
    }

    [Fact]
    public void Every_activation_has_one_cli_spelling()
    {
        var options = LayerKinds.ActivationOptions;
        Assert.Equal(Enum.GetValues<Activation>().Order(), options.Select(static o => o.Value).Order());
        Assert.Equal(options.Count, options.Select(static o => o.Name).Distinct(StringComparer.Ordinal).Count());
        Assert.All(options, static o => Assert.Matches("^[a-z-]+$", o.Name));
    }
}
