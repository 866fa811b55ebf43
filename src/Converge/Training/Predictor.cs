using System.Numerics.Tensors;
using Converge.Data;
using Converge.Modules;
using Converge.Kernels;

namespace Converge.Training;

/// <summary>
/// Allocation-free inference for a trained network: P(positive) for one row or many, with no
/// graph, no tensors and preallocated buffers. Weights are copied when the predictor is created
/// (train further, then create a new one). Not thread-safe: use one predictor per thread.
/// </summary>
/// <remarks>
/// A single row is a chain of matrix-vector products; for those the weights are stored
/// transposed ([in, out]) so that each input broadcasts across a block of outputs held in
/// registers (the classic row-by-row dot product would end every output with a horizontal sum).
/// Batches go through the packed GEMM. Results agree with the tensor forward pass to float32
/// rounding (the summation order differs).
/// </remarks>
public sealed class Predictor
{
    /// <summary>
    /// Rows per pass of a batch through the network: 256 rows of a 256-wide layer are 256 KiB, so a
    /// layer's input and output stay in L2 between the products (4,096 rows would be 4 MiB each).
    /// </summary>
    private const int ChunkRows = 256;

    private readonly Step[][] _members;
    private readonly double[]? _mean;
    private readonly double[]? _scale;
    private readonly bool _applySigmoid;
    private readonly float[] _rowA;
    private readonly float[] _rowB;
    private readonly int _maxWidth;
    private readonly float[] _rowInput;
    private float[] _batchA = [];
    private float[] _batchB = [];
    private float[] _batchInput = [];
    private float[] _batchSum = [];

    private Predictor(Step[][] members, int inputs, StandardScaler? scaler, bool applySigmoid)
    {
        (_members, Inputs, _applySigmoid) = (members, inputs, applySigmoid);
        if (scaler is not null)
        {
            if (scaler.FeatureCount != inputs)
                throw new ArgumentException($"Predictor: the scaler has {scaler.FeatureCount} features, the network {inputs} inputs.", nameof(scaler));
            (_mean, _scale) = ([.. scaler.Mean], [.. scaler.Scale]);
        }
        _maxWidth = Math.Max(inputs, members.Max(static m => m.Max(static s => s.Width)));
        _rowA = new float[_maxWidth];
        _rowB = new float[_maxWidth];
        _rowInput = new float[inputs];
    }

    /// <summary>How many networks the predictor averages (1 for a single network).</summary>
    public int MemberCount => _members.Length;

    /// <summary>Number of encoded features a row must have.</summary>
    public int Inputs { get; }

    /// <summary>
    /// A predictor for <paramref name="network"/> in eval mode (Dropout off, BatchNorm on running
    /// statistics). <paramref name="scaler"/>, if any, standardizes the encoded features first.
    /// When <paramref name="outputIsLogit"/> the network's output goes through a sigmoid.
    /// Supported layers: Linear, BatchNorm1d, ReLU, LeakyReLU, Sigmoid, Tanh, Dropout.
    /// </summary>
    public static Predictor Create(Sequential network, StandardScaler? scaler, bool outputIsLogit)
    {
        ArgumentNullException.ThrowIfNull(network);
        var (steps, inputs) = Flatten(network);
        return new Predictor([steps], inputs, scaler, outputIsLogit);
    }

    /// <summary>
    /// A predictor for an ensemble: every network sees the same standardized features and the
    /// prediction is the mean of their probabilities (each network's output through a sigmoid when
    /// <paramref name="outputIsLogit"/>), as <see cref="BinaryClassifier"/> averages its members.
    /// </summary>
    public static Predictor Create(IReadOnlyList<Sequential> networks, StandardScaler? scaler, bool outputIsLogit)
    {
        ArgumentNullException.ThrowIfNull(networks);
        if (networks.Count == 0) throw new ArgumentException("Predictor: an ensemble needs at least one network.", nameof(networks));
        var members = new Step[networks.Count][];
        int? inputs = null;
        for (var m = 0; m < networks.Count; m++)
        {
            var (steps, width) = Flatten(networks[m]);
            if (inputs is { } expected && expected != width)
                throw new ArgumentException($"Predictor: ensemble member {m + 1} takes {width} features, member 1 takes {expected}.", nameof(networks));
            (members[m], inputs) = (steps, width);
        }
        return new Predictor(members, inputs!.Value, scaler, outputIsLogit);
    }

    private static (Step[] Steps, int Inputs) Flatten(Sequential network)
    {
        ArgumentNullException.ThrowIfNull(network);
        var steps = new List<Step>();
        int? inputs = null;
        var width = 0;
        foreach (var layer in network.Layers)
        {
            var step = Step.Of(layer, width);
            if (step is null) continue;
            if (step.In == 0 && inputs is null)
                throw new ArgumentException($"Predictor: the network must start with Linear or BatchNorm1d, not {step.Kind}.", nameof(network));
            if (step.In > 0)
            {
                if (inputs is null) inputs = step.In;
                else if (step.In != width)
                    throw new ArgumentException($"Predictor: layer {step.Kind} expects {step.In} features, the previous layer gives {width}.", nameof(network));
            }
            width = step.Width;
            steps.Add(step);
        }
        if (inputs is null || width != 1)
            throw new ArgumentException($"Predictor: the network must start with Linear or BatchNorm1d and end with one output, got {width} outputs.", nameof(network));
        return ([.. steps], inputs.Value);
    }

    /// <summary>P(positive) for one row of encoded (not yet standardized) features.</summary>
    public float PredictProbability(ReadOnlySpan<float> encodedFeatures)
    {
        if (encodedFeatures.Length != Inputs)
            throw new ArgumentException($"Predictor: expected {Inputs} features, got {encodedFeatures.Length}.", nameof(encodedFeatures));
        Standardize(encodedFeatures, _rowInput);
        var sum = 0f;
        foreach (var steps in _members)
        {
            var x = _rowA;
            var y = _rowB;
            _rowInput.CopyTo(x, 0);
            foreach (var step in steps)
            {
                if (step.Kind == StepKind.Linear)
                {
                    PredictorKernels.MatVec(step, x, y);
                    (x, y) = (y, x);
                }
                else
                {
                    step.Apply(x.AsSpan(0, step.Width), 1);
                }
            }
            var output = x[0];
            var p = _applySigmoid ? 1f / (1f + MathF.Exp(-output)) : output;
            if (_members.Length == 1) return p;
            sum += p;
        }
        return sum / _members.Length;
    }

    /// <summary>P(positive) for <c>probabilities.Length</c> rows of encoded features (row-major).</summary>
    public void PredictProbabilities(ReadOnlySpan<float> encodedFeatures, Span<float> probabilities)
    {
        var rows = probabilities.Length;
        if (encodedFeatures.Length != (long)rows * Inputs)
            throw new ArgumentException($"Predictor: expected {rows} rows × {Inputs} features = {(long)rows * Inputs} values, got {encodedFeatures.Length}.", nameof(encodedFeatures));
        if (_batchA.Length == 0)
        {
            _batchA = new float[ChunkRows * _maxWidth];
            _batchB = new float[ChunkRows * _maxWidth];
            _batchInput = new float[ChunkRows * Inputs];
            _batchSum = new float[ChunkRows];
        }
        for (var start = 0; start < rows; start += ChunkRows)
        {
            var count = Math.Min(ChunkRows, rows - start);
            var input = _batchInput.AsSpan(0, count * Inputs);
            Standardize(encodedFeatures.Slice(start * Inputs, count * Inputs), input);
            var output = probabilities.Slice(start, count);
            var sum = _batchSum.AsSpan(0, count);
            for (var m = 0; m < _members.Length; m++)
            {
                var x = _batchA;
                var y = _batchB;
                input.CopyTo(x);
                foreach (var step in _members[m])
                {
                    if (step.Kind == StepKind.Linear)
                    {
                        PredictorKernels.Linear(step, x, y, count);
                        (x, y) = (y, x);
                    }
                    else
                    {
                        step.Apply(x.AsSpan(0, count * step.Width), count);
                    }
                }
                var target = _members.Length == 1 ? output : m == 0 ? sum : x.AsSpan(0, count);
                if (_applySigmoid) TensorPrimitives.Sigmoid(x.AsSpan(0, count), target);
                else x.AsSpan(0, count).CopyTo(target);
                if (m > 0) TensorPrimitives.Add(sum, target, sum);
            }
            if (_members.Length > 1) TensorPrimitives.Divide(sum, _members.Length, output);
        }
    }

    // Same arithmetic as StandardScaler.Transform: (x − mean)/scale in double, rounded once.
    private void Standardize(ReadOnlySpan<float> source, Span<float> destination)
    {
        if (_mean is null)
        {
            source.CopyTo(destination);
            return;
        }
        var cols = Inputs;
        for (var i = 0; i < source.Length; i++)
        {
            var c = i % cols;
            destination[i] = (float)((source[i] - _mean[c]) / _scale![c]);
        }
    }

    internal enum StepKind { Linear, BatchNorm, Relu, LeakyRelu, Sigmoid, Tanh }

    /// <summary>One layer, flattened: the weights copied (and transposed for the single-row kernel).</summary>
    internal sealed class Step
    {
        public StepKind Kind { get; private init; }

        /// <summary>Features in (0 for activations, which keep the width).</summary>
        public int In { get; private init; }

        /// <summary>Features out.</summary>
        public int Width { get; private init; }

        /// <summary>Linear: W [out, in] as in the module. BatchNorm: per-feature (mean, invStd, γ, β) in 4 rows.</summary>
        public float[] Weight { get; private init; } = [];

        /// <summary>Linear: Wᵀ [in, out].</summary>
        public float[] WeightTransposed { get; private init; } = [];

        public float[] Bias { get; private init; } = [];

        public float Slope { get; private init; }

        public static Step? Of(Module layer, int width) => layer switch
        {
            Modules.Linear linear => FromLinear(linear),
            BatchNorm1d norm => FromBatchNorm(norm),
            ReLU => new Step { Kind = StepKind.Relu, Width = width },
            LeakyReLU leaky => new Step { Kind = StepKind.LeakyRelu, Width = width, Slope = leaky.NegativeSlope },
            Sigmoid => new Step { Kind = StepKind.Sigmoid, Width = width },
            Modules.Tanh => new Step { Kind = StepKind.Tanh, Width = width },
            Dropout => null,
            _ => throw new ArgumentException($"Predictor: unsupported layer {layer.GetType().Name}.", nameof(layer)),
        };

        private static Step FromLinear(Modules.Linear linear)
        {
            var (inF, outF) = (linear.InFeatures, linear.OutFeatures);
            var w = (float[])linear.Weight.Data.Clone();
            var wt = new float[w.Length];
            for (var o = 0; o < outF; o++)
                for (var i = 0; i < inF; i++) wt[i * outF + o] = w[o * inF + i];
            return new Step
            {
                Kind = StepKind.Linear, In = inF, Width = outF, Weight = w, WeightTransposed = wt,
                Bias = linear.Bias is null ? new float[outF] : (float[])linear.Bias.Data.Clone(),
            };
        }

        private static Step FromBatchNorm(BatchNorm1d norm)
        {
            var c = norm.NumFeatures;
            var p = new float[4 * c];
            for (var j = 0; j < c; j++)
            {
                p[j] = norm.RunningMean.Data[j];
                p[c + j] = (float)(1.0 / Math.Sqrt(norm.RunningVar.Data[j] + norm.Eps));
                p[2 * c + j] = norm.Weight?.Data[j] ?? 1f;
                p[3 * c + j] = norm.Bias?.Data[j] ?? 0f;
            }
            return new Step { Kind = StepKind.BatchNorm, In = c, Width = c, Weight = p };
        }

        /// <summary>Applies an elementwise layer in place to <paramref name="rows"/> rows of <see cref="Width"/> values.</summary>
        public void Apply(Span<float> values, int rows)
        {
            switch (Kind)
            {
                case StepKind.Relu: TensorPrimitives.Max(values, 0f, values); break;
                case StepKind.Sigmoid: TensorPrimitives.Sigmoid(values, values); break;
                case StepKind.Tanh: TensorPrimitives.Tanh(values, values); break;
                case StepKind.LeakyRelu:
                    for (var i = 0; i < values.Length; i++) if (values[i] <= 0f) values[i] *= Slope;
                    break;
                case StepKind.BatchNorm:
                    var c = Width;
                    for (var r = 0; r < rows; r++)
                        for (var j = 0; j < c; j++)
                        {   // BatchNorm1d's eval arithmetic: γ·(x − mean)·invStd + β in float
                            ref var v = ref values[r * c + j];
                            v = Weight[2 * c + j] * (v - Weight[j]) * Weight[c + j] + Weight[3 * c + j];
                        }
                    break;
                default: throw new InvalidOperationException($"Predictor: {Kind} is not elementwise.");
            }
        }
    }
}
