namespace Converge.Tensors;

/// <summary>
/// A recorded computation that can be run again on new data without building a new graph:
/// capture a training step once (forward to the loss), then each step overwrite the input
/// tensors' <see cref="Tensor.Data"/> and call <see cref="Forward"/> and <see cref="Backward"/>.
/// Every node keeps its buffers, so a replayed step allocates nothing.
/// </summary>
/// <remarks>
/// Replay re-runs the ops that were recorded: control flow in a module's Forward that depends on
/// the data is frozen at capture time, and shapes (the batch size) are fixed. Capture again for
/// a different batch size.
/// </remarks>
public sealed class Graph
{
    private readonly List<Tensor> _forwardOrder;
    private readonly List<Tensor> _backwardOrder;

    private Graph(Tensor output)
    {
        Output = output;
        _forwardOrder = output.TopologicalOrder(gradOnly: false).FindAll(node => !node.IsLeaf);
        _backwardOrder = output.RequiresGrad ? output.TopologicalOrder(gradOnly: true) : [];
    }

    /// <summary>The recorded result, recomputed in place by <see cref="Forward"/>.</summary>
    public Tensor Output { get; }

    /// <summary>Number of recorded ops.</summary>
    public int OpCount => _forwardOrder.Count;

    /// <summary>Records the graph that produced <paramref name="output"/> (already computed once).</summary>
    public static Graph Capture(Tensor output)
    {
        ArgumentNullException.ThrowIfNull(output);
        return new Graph(output);
    }

    /// <summary>Recomputes every recorded op, parents first, from the current leaf values.</summary>
    public void Forward()
    {
        foreach (var node in _forwardOrder) node.RunForward();
    }

    /// <summary>Back-propagates from the (scalar) output, accumulating into leaf gradients.</summary>
    public void Backward()
    {
        if (!Output.RequiresGrad)
            throw new InvalidOperationException("Graph.Backward(): the captured output does not require grad.");
        if (Output.Length != 1)
            throw new InvalidOperationException($"Graph.Backward() needs a scalar output, got shape {Tensor.ShapeToString(Output.Shape)}.");
        Output.RunBackward(_backwardOrder);
    }

    /// <summary>
    /// Diagnostic: times each recorded op's forward and backward over <paramref name="repeats"/> replays
    /// (gradients accumulate meanwhile: zero them before training on). Returns (op, shape, forward µs, backward µs)
    /// per node, the fastest of the replays: on a shared machine the minimum is the least disturbed.
    /// </summary>
    internal List<(string Op, string Shape, double ForwardMicroseconds, double BackwardMicroseconds)> Profile(int repeats)
    {
        var forward = new long[_forwardOrder.Count];
        var backward = new long[_forwardOrder.Count];
        Array.Fill(forward, long.MaxValue);
        Array.Fill(backward, long.MaxValue);
        for (var r = 0; r < repeats; r++)
        {
            for (var i = 0; i < _forwardOrder.Count; i++)
            {
                var start = System.Diagnostics.Stopwatch.GetTimestamp();
                _forwardOrder[i].RunForward();
                forward[i] = Math.Min(forward[i], System.Diagnostics.Stopwatch.GetTimestamp() - start);
            }
            if (!Output.RequiresGrad) continue;
            foreach (var node in _backwardOrder)
                if (!node.IsLeaf) node.ZeroGrad();
            Output.GradBuffer()[0] = 1f;
            for (var i = _forwardOrder.Count - 1; i >= 0; i--)
            {
                var start = System.Diagnostics.Stopwatch.GetTimestamp();
                _forwardOrder[i].RunBackwardStep();
                backward[i] = Math.Min(backward[i], System.Diagnostics.Stopwatch.GetTimestamp() - start);
            }
        }
        var scale = 1e6 / System.Diagnostics.Stopwatch.Frequency;
        var result = new List<(string, string, double, double)>();
        for (var i = 0; i < _forwardOrder.Count; i++)
            result.Add((_forwardOrder[i].Op, Tensor.ShapeToString(_forwardOrder[i].Shape), forward[i] * scale, Output.RequiresGrad ? backward[i] * scale : 0));
        return result;
    }
}
