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
}
