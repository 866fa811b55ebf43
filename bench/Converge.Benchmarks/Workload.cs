using Converge.Losses;
using Converge.Modules;
using Converge.Optimizers;
using Converge.Tensors;

namespace Converge.Benchmarks;

/// <summary>
/// One training workload: model, loss, Adam, data and batch order. A step is the engine's steady
/// state as in Training/TrainingLoop.cs: the first step at each batch size records a Graph, later
/// steps copy the next rows into the same input tensors and replay it.
/// </summary>
public sealed class Workload
{
    private readonly Dictionary<int, (Tensor X, Tensor Y, Graph Graph)> _graphs = [];
    private readonly int[] _order;
    private readonly ulong[] _keys;
    private int _epoch;
    private int _position;

    public Workload(string name, Sequential model, ElementwiseLoss criterion, double learningRate,
        float[] features, float[] labels, int rows, int cols, int batchSize, int epochs, bool outputIsProbability)
    {
        (Name, Model, Criterion, Features, Labels, Rows, Cols) = (name, model, criterion, features, labels, rows, cols);
        (BatchSize, Epochs, OutputIsProbability) = (batchSize, epochs, outputIsProbability);
        Optimizer = new Adam(model.Parameters(), new AdamOptions { LearningRate = learningRate });
        _order = new int[batchSize >= rows ? 0 : rows];
        _keys = new ulong[_order.Length];
        if (_order.Length > 0) Workloads.EpochOrder(0, _keys, _order);
    }

    public string Name { get; }
    public Sequential Model { get; }
    public ElementwiseLoss Criterion { get; }
    public Adam Optimizer { get; }
    public float[] Features { get; }
    public float[] Labels { get; }
    public int Rows { get; }
    public int Cols { get; }
    public int BatchSize { get; }

    /// <summary>Full-batch workloads: steps; minibatch workloads: passes over the data.</summary>
    public int Epochs { get; }

    /// <summary>True when the model ends in a sigmoid (BCELoss), false when it returns logits.</summary>
    public bool OutputIsProbability { get; }

    public bool FullBatch => BatchSize >= Rows;

    /// <summary>Steps in one epoch (1 for full batch).</summary>
    public int StepsPerEpoch => (Rows + BatchSize - 1) / BatchSize;

    /// <summary>The loss of the last step (read every step, as the protocol asks).</summary>
    public float LastLoss { get; private set; }

    /// <summary>One training step on the next batch; wraps to the next epoch's order at the end of the data.</summary>
    public float Step()
    {
        var size = Math.Min(BatchSize, Rows - _position);
        if (!_graphs.TryGetValue(size, out var step))
        {
            var x = Tensor.Zeros(size, Cols);
            var y = Tensor.Zeros(size, 1);
            Gather(size, x, y);
            Optimizer.ZeroGrad();
            var graph = Graph.Capture(Criterion.Forward(Model.Forward(x), y));   // eager: this step's forward pass
            step = (x, y, graph);
            _graphs[size] = step;
        }
        else
        {
            if (!FullBatch || _position == 0 && _epoch == 0) Gather(size, step.X, step.Y);
            Optimizer.ZeroGrad();
            step.Graph.Forward();
        }
        LastLoss = step.Graph.Output.Data[0];
        step.Graph.Backward();
        Optimizer.Step();
        Advance(size);
        return LastLoss;
    }

    /// <summary>Runs the whole protocol (all steps of all epochs) from the current state.</summary>
    public void Train()
    {
        var steps = FullBatch ? Epochs : Epochs * StepsPerEpoch;
        for (var i = 0; i < steps; i++) Step();
    }

    /// <summary>Mean loss and accuracy (p &gt; 0.5) of a no-grad pass over the whole training set.</summary>
    public (double Loss, double Accuracy) Evaluate()
    {
        using var _ = Tensor.NoGrad();
        var x = new Tensor(Features, Rows, Cols);
        var y = new Tensor(Labels, Rows, 1);
        var output = Model.Forward(x);
        var loss = Criterion.Forward(output, y).Item();
        var correct = 0;
        for (var i = 0; i < Rows; i++)
        {
            var positive = OutputIsProbability ? output.Data[i] > 0.5f : output.Data[i] > 0f;
            if (positive == (Labels[i] > 0.5f)) correct++;
        }
        return (loss, (double)correct / Rows);
    }

    private void Gather(int size, Tensor x, Tensor y)
    {
        if (FullBatch)
        {
            Features.AsSpan(0, size * Cols).CopyTo(x.Data);
            Labels.AsSpan(0, size).CopyTo(y.Data);
            return;
        }
        for (var i = 0; i < size; i++)
        {
            var row = _order[_position + i];
            Features.AsSpan(row * Cols, Cols).CopyTo(x.Data.AsSpan(i * Cols, Cols));
            y.Data[i] = Labels[row];
        }
    }

    private void Advance(int size)
    {
        _position += size;
        if (_position < Rows) return;
        _position = 0;
        _epoch++;
        if (!FullBatch) Workloads.EpochOrder(_epoch, _keys, _order);
    }
}
