using Converge.Data;
using Converge.Losses;
using Converge.Modules;
using Converge.Optimizers;
using Converge.Tensors;

namespace Converge.Training;

/// <summary>
/// Runs the minibatch steps of an epoch. The first step at each batch size records the graph;
/// later steps copy the next rows into the same input tensors and replay it, so a steady-state
/// step builds no graph and allocates nothing. A scaler, when given, scales the rows as they are copied.
/// </summary>
internal sealed class TrainingLoop
{
    private readonly Module _model;
    private readonly ElementwiseLoss _criterion;
    private readonly Optimizer _optimizer;
    private readonly TrainerOptions _options;
    private readonly List<ITrainingObserver> _observers;
    private readonly float[] _features;
    private readonly float[] _labels;
    private readonly int _rows;
    private readonly int _cols;
    private readonly int _batchSize;
    private readonly StandardScaler? _scaler;
    private readonly int[] _order;
    private readonly Generator _shuffle;
    private readonly Dictionary<int, (Tensor X, Tensor Y, Graph? Graph)> _steps = [];

    public TrainingLoop(Module model, ElementwiseLoss criterion, Optimizer optimizer, TrainerOptions options,
        List<ITrainingObserver> observers, float[] features, float[] labels, int rows, int cols, StandardScaler? scaler = null)
    {
        _scaler = scaler;
        (_model, _criterion, _optimizer, _options, _observers) = (model, criterion, optimizer, options, observers);
        (_features, _labels, _rows, _cols) = (features, labels, rows, cols);
        _batchSize = options.BatchSize == 0 || options.BatchSize >= rows ? rows : options.BatchSize;
        _order = [.. Enumerable.Range(0, rows)];
        _shuffle = new Generator(options.Seed ^ 0x5EED5EED5EED5EEDUL);
    }

    /// <summary>One pass over the training rows; returns the mean minibatch loss (NaN/∞ on divergence).</summary>
    public double RunEpoch(int epoch)
    {
        _model.Train();
        var fullBatch = _batchSize == _rows;
        if (!fullBatch) _shuffle.Shuffle<int>(_order);
        var (lossSum, batches) = (0d, 0);
        // BatchNorm cannot normalize a batch of one row: a trailing single row (after larger batches)
        // waits for the next, reshuffled epoch. Batches of one throughout are the user's choice.
        var end = _batchSize > 1 && _rows % _batchSize == 1 ? _rows - 1 : _rows;
        for (var start = 0; start < end; start += _batchSize)
        {
            var size = Math.Min(_batchSize, end - start);
            var loss = Step(start, size, fullBatch, new TrainingStep(epoch, batches, start + size >= end, 0));
            if (!double.IsFinite(loss)) return loss;
            lossSum += loss;
            batches++;
        }
        return lossSum / batches;
    }

    private double Step(int start, int size, bool fullBatch, TrainingStep info)
    {
        if (!_steps.TryGetValue(size, out var step))
        {
            step = (Tensor.Zeros(size, _cols), Tensor.Zeros(size, 1), null);
            Gather(start, size, fullBatch, step.X, step.Y);
            _optimizer.ZeroGrad();
            var output = _criterion.Forward(_model.Forward(step.X), step.Y);   // eager: this is the step's forward pass
            step.Graph = Graph.Capture(output);
            _steps[size] = step;
        }
        else
        {
            if (!fullBatch) Gather(start, size, fullBatch, step.X, step.Y);
            _optimizer.ZeroGrad();
            step.Graph!.Forward();
        }
        var graph = step.Graph!;
        var loss = (double)graph.Output.Data[0];
        if (!double.IsFinite(loss)) return loss;
        graph.Backward();
        for (var i = 0; i < _observers.Count; i++) _observers[i].GradientsComputed(info with { Loss = loss });
        if (_options.GradientClip > 0) Optimizer.ClipGradNorm(_optimizer.Parameters, _options.GradientClip);
        _optimizer.Step();
        return loss;
    }

    private void Gather(int start, int size, bool fullBatch, Tensor x, Tensor y)
    {
        if (fullBatch)
        {
            _features.AsSpan(0, size * _cols).CopyTo(x.Data);
            _labels.AsSpan(0, size).CopyTo(y.Data);
        }
        else
        {
            for (var i = 0; i < size; i++)
            {
                var row = _order[start + i];
                _features.AsSpan(row * _cols, _cols).CopyTo(x.Data.AsSpan(i * _cols, _cols));
                y.Data[i] = _labels[row];
            }
        }
        _scaler?.Transform(x.Data.AsSpan(0, size * _cols));
    }
}
