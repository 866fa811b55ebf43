using Converge.Data;
using Converge.Modules;
using Converge.Tensors;
using Converge.Training;

namespace Converge.Tests.Training;

/// <summary>Block-by-block forward passes against one pass over all rows: the same bits, not just close.</summary>
public class BlockForwardTests
{
    private static float[] Rows(int rows, int cols, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, rows * cols).Select(_ => (float)((random.NextDouble() - 0.5) * 6)).ToArray();
    }

    private static float[] OnePass(Sequential network, StandardScaler? scaler, float[] x, int rows, int cols)
    {
        var scaled = (float[])x.Clone();
        scaler?.Transform(scaled);
        using var _ = Tensor.NoGrad();
        return network.Forward(new Tensor(scaled, rows, cols)).Data;
    }

    public static TheoryData<int, int, int> Shapes() => new()
    {
        // rows, inputs, block rows: one pass (fewer than two blocks), whole blocks, a remainder; wide and narrow layers.
        { 200, 20, 128 },
        { 5000, 20, 128 },
        { 5003, 20, 0 },
        { 3000, 4, 128 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Blocks_give_the_bits_of_one_pass(int rows, int inputs, int blockRows)
    {
        var generator = new Generator(11);
        var network = new Sequential(new Linear(inputs, 16, generator: generator), new ReLU(), new Linear(16, 8, generator: generator), new ReLU(),
            new Linear(8, 1, generator: generator));
        network.Eval();
        var x = Rows(rows, inputs, rows);
        var scaler = StandardScaler.Fit(x, rows, inputs);
        var before = (float[])x.Clone();
        Assert.Equal(OnePass(network, scaler, x, rows, inputs), BlockForward.Outputs(network, x, rows, inputs, scaler, blockRows));
        Assert.Equal(OnePass(network, null, x, rows, inputs), BlockForward.Outputs(network, x, rows, inputs, null, blockRows));
        // The features are read, never scaled in place.
        Assert.Equal(before, x);
    }

    [Fact]
    public void Trainer_evaluate_with_a_scaler_equals_evaluate_on_scaled_rows()
    {
        var generator = new Generator(3);
        var network = new Sequential(new Linear(6, 16, generator: generator), new Tanh(), new Linear(16, 1, generator: generator));
        const int RowCount = 4000;
        var x = Rows(RowCount, 6, 1);
        var labels = Enumerable.Range(0, RowCount).Select(i => (float)(i % 3 == 0 ? 1 : 0)).ToArray();
        var scaler = StandardScaler.Fit(x, RowCount, 6);
        var scaled = (float[])x.Clone();
        scaler.Transform(scaled);
        var loss = new Converge.Losses.BceWithLogitsLoss();
        Assert.Equal(Trainer.Evaluate(network, loss, scaled, labels, RowCount, 6), Trainer.Evaluate(network, loss, x, labels, RowCount, 6, scaler));
    }
}
