using Converge.Losses;
using Converge.Modules;
using Converge.Optimizers;
using Converge.Tensors;

namespace Converge.Tests.Tensors;

/// <summary>
/// Graph replay: a step captured once and replayed on new data must give the values and gradients
/// of a fresh eager computation (bit for bit: the same kernels run in the same order).
/// </summary>
public class GraphTests
{
    private static Sequential NewModel() => new(
        new BatchNorm1d(2),
        new Linear(2, 3, generator: new Generator(5)),
        new Tanh(),
        new Dropout(0.25, new Generator(9)),
        new Linear(3, 1, generator: new Generator(6)));

    [Fact]
    public void Replay_on_new_data_matches_a_fresh_eager_step_every_time()
    {
        var (replayed, eager) = (NewModel(), NewModel());
        var criterion = new BceWithLogitsLoss(posWeight: Tensor.Scalar(2f));
        var (replayOptimizer, eagerOptimizer) = (new Adam(replayed.Parameters()), new Adam(eager.Parameters()));
        var x = new Tensor(new float[8 * 2], 8, 2);
        var y = new Tensor(new float[8], 8, 1);
        Graph? graph = null;

        for (var step = 0; step < 4; step++)
        {
            var data = GradCheck.Parameter((ulong)(100 + step), [8, 2], -3, 3).Data;
            var labels = data.Where((_, i) => i % 2 == 0).Select(static v => v > 0 ? 1f : 0f).ToArray();
            data.CopyTo(x.Data, 0);
            labels.CopyTo(y.Data, 0);

            replayOptimizer.ZeroGrad();
            if (graph is null)
            {
                graph = Graph.Capture(criterion.Forward(replayed.Forward(x), y));
                Assert.True(graph.OpCount >= 6);
            }
            else
            {
                graph.Forward();
            }
            graph.Backward();

            eagerOptimizer.ZeroGrad();
            var loss = criterion.Forward(eager.Forward(new Tensor((float[])data.Clone(), 8, 2)), new Tensor(labels, 8, 1));
            loss.Backward();

            Assert.Equal(loss.Item(), graph.Output.Item());
            foreach (var ((name, a), (_, b)) in replayed.NamedParameters().Zip(eager.NamedParameters()))
                Assert.True(a.Grad!.AsSpan().SequenceEqual(b.Grad!), $"step {step}: gradient of {name} differs");
            foreach (var ((name, a), (_, b)) in replayed.NamedBuffers().Zip(eager.NamedBuffers()))
                Assert.True(a.Data.AsSpan().SequenceEqual(b.Data), $"step {step}: buffer {name} differs");
            replayOptimizer.Step();
            eagerOptimizer.Step();
        }
    }

    [Fact]
    public void Replay_recomputes_a_graph_without_gradients_and_refuses_to_backpropagate_it()
    {
        var x = new Tensor([1f, 2f], 2);
        var graph = Graph.Capture(x.Exp().Sum());
        x.Data[0] = 0f;
        graph.Forward();
        Assert.Equal(1f + MathF.Exp(2f), graph.Output.Item(), 1e-5f);
        Assert.Throws<InvalidOperationException>(graph.Backward);
    }
}
