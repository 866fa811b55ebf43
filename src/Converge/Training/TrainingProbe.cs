using Converge.Data;
using Converge.Modules;
using Converge.Tensors;

namespace Converge.Training;

/// <summary>
/// The doctor's probe, a <see cref="Trainer"/> observer: samples the internals the diagnosis reads
/// every few epochs rather than every step — gradient norms per parameter on the epoch's last
/// minibatch, how far the first layer moved, and hidden-unit saturation — into <see cref="Samples"/>.
/// </summary>
public sealed class TrainingProbe : ITrainingObserver
{
    /// <summary>The rows of the saturation sample: the first this many training rows.</summary>
    internal const int SampleRows = 512;
    private readonly Sequential _model;
    private readonly Tensor _sample;
    private readonly Linear? _firstLinear;
    private float[]? _previousWeight;
    private float[]? _previousBias;
    private readonly int _every;
    private bool _sampling;
    private Dictionary<string, double> _gradientNorms = [];

    /// <summary>A probe for <paramref name="model"/>, to attach with <see cref="Trainer.Observe"/>.</summary>
    /// <param name="model">The network being trained.</param>
    /// <param name="features">The training features as the network takes them; the first rows are the saturation sample.</param>
    /// <param name="rows">Rows in <paramref name="features"/>.</param>
    /// <param name="cols">Features per row.</param>
    /// <param name="every">Sample epoch 1 and every this many epochs; 0 never samples.</param>
    public TrainingProbe(Sequential model, float[] features, int rows, int cols, int every)
    {
        (_model, _every) = (model, every);
        var n = Math.Min(rows, SampleRows);
        _sample = new Tensor(features.AsSpan(0, n * cols).ToArray(), n, cols);
        _firstLinear = model.Layers.OfType<Linear>().FirstOrDefault();
        _previousWeight = (float[]?)_firstLinear?.Weight.Data.Clone();
        _previousBias = (float[]?)_firstLinear?.Bias?.Data.Clone();
    }

    /// <summary>The samples taken, by epoch.</summary>
    public Dictionary<int, MonitorSample> Samples { get; } = [];

    /// <summary>The run's history with each sampled epoch's <see cref="EpochLog.Monitor"/> filled in.</summary>
    public IReadOnlyList<EpochLog> Annotate(IReadOnlyList<EpochLog> history) =>
        [.. history.Select(l => Samples.TryGetValue(l.Epoch, out var s) ? l with { Monitor = s } : l)];

    void ITrainingObserver.EpochStarted(int epoch) => _sampling = _every > 0 && (epoch == 1 || epoch % _every == 0);

    void ITrainingObserver.GradientsComputed(in TrainingStep step)
    {
        if (_sampling && step.IsLastBatch) RecordGradients();
    }

    void ITrainingObserver.EpochEnded(EpochLog log)
    {
        if (_sampling) Samples[log.Epoch] = Take();
    }

    /// <summary>Keeps the gradient norms of the backward pass just run.</summary>
    public void RecordGradients()
    {
        _gradientNorms = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (name, p) in _model.NamedParameters())
            _gradientNorms[name] = p.Grad is null ? 0 : System.Numerics.Tensors.TensorPrimitives.Norm<float>(p.Grad);
    }

    /// <summary>Completes a sample: parameter movement since the last one and saturation on the sample rows.</summary>
    public MonitorSample Take()
    {
        var (weightChange, biasChange) = (0d, 0d);
        if (_firstLinear is not null)
        {
            weightChange = RelativeChange(_firstLinear.Weight.Data, ref _previousWeight);
            if (_firstLinear.Bias is not null) biasChange = RelativeChange(_firstLinear.Bias.Data, ref _previousBias);
        }
        var (saturated, dead) = Saturation(_model, _sample);
        return new MonitorSample(_gradientNorms, weightChange, biasChange, saturated, dead);
    }

    /// <summary>
    /// Fraction of sigmoid/tanh hidden outputs within 1 % of their limits (σ′ &lt; 0.0099: almost no
    /// gradient passes), and fraction of ReLU units silent on every sample row, each kind as its
    /// <see cref="LayerKinds"/> row measures it; the final output layer is not a hidden unit and is skipped. The one home of this measure: the probe, the doctor on a
    /// hand-written loop and the demo read it.
    /// </summary>
    /// <param name="model">The network, in any mode; it is left in the mode it had.</param>
    /// <param name="sample">Rows as the network takes them.</param>
    /// <param name="batchStatistics">
    /// An input BatchNorm1d normalizes with the sample's own statistics, as training sees it, instead of
    /// the running ones (which are left untouched either way).
    /// </param>
    public static (double Saturated, double Dead) Saturation(Sequential model, Tensor sample, bool batchStatistics = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(sample);
        var wasTraining = model.IsTraining;
        model.Eval();
        try
        {
            using var _ = Tensor.NoGrad();
            var x = sample;
            var (saturated, bounded, dead, relus) = (0L, 0L, 0, 0);
            var lastLinear = model.Layers.OfType<Linear>().LastOrDefault();
            var afterLast = false;
            foreach (var layer in model.Layers)
            {
                x = batchStatistics && layer is BatchNorm1d bn ? BatchNormalize(bn, x) : layer.Forward(x);
                if (ReferenceEquals(layer, lastLinear)) afterLast = true;
                if (afterLast) continue;
                if (LayerKinds.Of(layer) is not { } kind) continue;
                var m = kind.Measure(x.Data, x.Rows, x.Cols);
                (saturated, bounded, dead, relus) = (saturated + m.Saturated, bounded + m.Bounded, dead + m.Dead, relus + m.Units);
            }
            return (bounded == 0 ? 0 : saturated / (double)bounded, relus == 0 ? 0 : dead / (double)relus);
        }
        finally
        {
            model.Train(wasTraining);
        }
    }

    // Training-mode BatchNorm1d (biased batch variance) without touching the running statistics.
    private static Tensor BatchNormalize(BatchNorm1d bn, Tensor x)
    {
        var (rows, cols) = (x.Rows, x.Cols);
        var means = Statistics.ColumnMeans(x.Data, rows, cols);
        var variances = Statistics.ColumnVariances(x.Data, rows, cols, unbiased: false);
        var output = new float[x.Length];
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < cols; c++)
            {
                var normalized = (x.Data[r * cols + c] - means[c]) / Math.Sqrt(variances[c] + bn.Eps);
                output[r * cols + c] = (float)(normalized * (bn.Weight?.Data[c] ?? 1f) + (bn.Bias?.Data[c] ?? 0f));
            }
        return new Tensor(output, rows, cols);
    }

    private static double RelativeChange(float[] current, ref float[]? previous)
    {
        if (previous is null)
        {
            previous = (float[])current.Clone();
            return 0;
        }
        var (delta, norm) = (0d, 0d);
        for (var i = 0; i < current.Length; i++)
        {
            delta += Math.Pow(current[i] - previous[i], 2);
            norm += Math.Pow(previous[i], 2);
        }
        current.CopyTo(previous, 0);
        return Math.Sqrt(delta) / Math.Max(Math.Sqrt(norm), 1e-12);
    }
}
