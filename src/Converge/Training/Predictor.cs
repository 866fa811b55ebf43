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
/// transposed, in blocks of 64 outputs, so that each input broadcasts across a block of outputs held
/// in registers (the classic row-by-row dot product would end every output with a horizontal sum)
/// and each block's weights are one sequential stream.
/// Batches go through the packed GEMM. Results agree with the tensor forward pass to float32
/// rounding (the summation order differs).
/// </remarks>
public sealed class Predictor
{
    /// <summary>
    /// Rows per pass of a batch through the network: 96 rows of a 256-wide layer are 96 KiB, so a
    /// layer's input and output (192 KiB) and the packed 256×256 weights (256 KiB) stay in one core's L2.
    /// </summary>
    private const int ChunkRows = 96;

    private const int PaddedChunkRows = (ChunkRows + PackedLinear.TileRows - 1) / PackedLinear.TileRows * PackedLinear.TileRows;

    private readonly Step[] _steps;
    private readonly double[]? _mean;
    private readonly double[]? _scale;
    private readonly bool _applySigmoid;
    private readonly float[] _rowA;
    private readonly float[] _rowB;
    private readonly int _maxWidth;
    private BatchPlan? _batch;

    private Predictor(Step[] steps, int inputs, StandardScaler? scaler, bool applySigmoid)
    {
        (_steps, Inputs, _applySigmoid) = (steps, inputs, applySigmoid);
        if (scaler is not null)
        {
            if (scaler.FeatureCount != inputs)
                throw new ArgumentException($"Predictor: the scaler has {scaler.FeatureCount} features, the network {inputs} inputs.", nameof(scaler));
            (_mean, _scale) = ([.. scaler.Mean], [.. scaler.Scale]);
        }
        _maxWidth = Math.Max(inputs, steps.Max(static s => s.Width));
        _rowA = new float[_maxWidth];
        _rowB = new float[_maxWidth];
    }

    /// <summary>Number of encoded features a row must have.</summary>
    public int Inputs { get; }

    /// <summary>
    /// A predictor for <paramref name="network"/> in eval mode (Dropout off, BatchNorm on running
    /// statistics). <paramref name="scaler"/>, if any, standardizes the encoded features first.
    /// When <paramref name="outputIsLogit"/> the network's output goes through a sigmoid.
    /// Supported layers: those of <see cref="LayerKinds"/> (Linear, BatchNorm1d, Dropout and the activations).
    /// </summary>
    public static Predictor Create(Sequential network, StandardScaler? scaler, bool outputIsLogit)
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
                throw new ArgumentException($"Predictor: the network must start with Linear or BatchNorm1d, not {step.Kind.Name}.", nameof(network));
            if (step.In > 0)
            {
                if (inputs is null) inputs = step.In;
                else if (step.In != width)
                    throw new ArgumentException($"Predictor: layer {step.Kind.Name} expects {step.In} features, the previous layer gives {width}.", nameof(network));
            }
            width = step.Width;
            steps.Add(step);
        }
        if (inputs is null || width != 1)
            throw new ArgumentException($"Predictor: the network must start with Linear or BatchNorm1d and end with one output, got {width} outputs.", nameof(network));
        return new Predictor([.. steps], inputs.Value, scaler, outputIsLogit);
    }

    /// <summary>
    /// A predictor for a cross-fitted ensemble: every network sees the same standardized features and the
    /// prediction is the mean of their probabilities by <see cref="NetworkProbability"/>'s rule (members summed
    /// in order, then one division), as <see cref="BinaryClassifier"/> averages its members.
    /// </summary>
    /// <param name="networks">The members, all taking the same features.</param>
    /// <param name="scaler">The standardization every member sees, or null.</param>
    /// <param name="outputIsLogit">True when the networks end in a logit (a sigmoid is applied).</param>
    /// <param name="calibration">A probability calibration applied to the mean, or null.</param>
    public static Predictor Create(IReadOnlyList<Sequential> networks, StandardScaler? scaler, bool outputIsLogit, ProbabilityCalibration? calibration = null)
    {
        ArgumentNullException.ThrowIfNull(networks);
        if (networks.Count == 0) throw new ArgumentException("Predictor: an ensemble needs at least one network.", nameof(networks));
        var first = Create(networks[0], scaler, outputIsLogit);
        var others = new Predictor[networks.Count - 1];
        for (var m = 1; m < networks.Count; m++)
        {
            others[m - 1] = Create(networks[m], scaler, outputIsLogit);
            if (others[m - 1].Inputs != first.Inputs)
                throw new ArgumentException($"Predictor: ensemble member {m + 1} takes {others[m - 1].Inputs} features, member 1 takes {first.Inputs}.", nameof(networks));
        }
        first._others = others;
        first._calibration = calibration;
        return first;
    }

    /// <summary>How many networks the predictor averages (1 for a single network).</summary>
    public int MemberCount => 1 + _others.Length;

    /// <summary>P(positive) for one row of encoded (not yet standardized) features.</summary>
    public float PredictProbability(ReadOnlySpan<float> encodedFeatures)
    {
        var sum = PredictOne(encodedFeatures);
        if (_others.Length > 0)
        {
            foreach (var other in _others) sum += other.PredictOne(encodedFeatures);
            sum = NetworkProbability.DivideByMembers(sum, MemberCount);
        }
        return _calibration is null ? sum : _calibration.Apply(sum);
    }

    /// <summary>P(positive) for <c>probabilities.Length</c> rows of encoded features (row-major); an ensemble averages its members.</summary>
    public void PredictProbabilities(ReadOnlySpan<float> encodedFeatures, Span<float> probabilities)
    {
        PredictMany(encodedFeatures, probabilities);
        if (_others.Length > 0)
        {
            if (_memberOutput.Length < probabilities.Length) _memberOutput = new float[probabilities.Length];
            var member = _memberOutput.AsSpan(0, probabilities.Length);
            foreach (var other in _others)
            {
                other.PredictMany(encodedFeatures, member);
                NetworkProbability.AddMember(probabilities, member);
            }
            NetworkProbability.DivideByMembers(probabilities, MemberCount);
        }
        _calibration?.Apply(probabilities);
    }

    private Predictor[] _others = [];
    private ProbabilityCalibration? _calibration;
    private float[] _memberOutput = [];

    private float PredictOne(ReadOnlySpan<float> encodedFeatures)
    {
        if (encodedFeatures.Length != Inputs)
            throw new ArgumentException($"Predictor: expected {Inputs} features, got {encodedFeatures.Length}.", nameof(encodedFeatures));
        var x = _rowA;
        var y = _rowB;
        Standardize(encodedFeatures, x);
        foreach (var step in _steps)
        {
            if (step.Kind.Role == LayerRole.Linear)
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
        return NetworkProbability.FromOutput(output, _applySigmoid);
    }

    /// <summary>One network's P(positive) for <c>probabilities.Length</c> rows of encoded features (row-major).</summary>
    /// <remarks>
    /// Rows go through the whole network <see cref="ChunkRows"/> at a time (the activations stay in
    /// L2), each Linear on weights packed once (<see cref="PackedLinear"/>, bias and a following ReLU
    /// fused). Large calls split their chunks over the cores (one hand-off per call, not per product).
    /// </remarks>
    private unsafe void PredictMany(ReadOnlySpan<float> encodedFeatures, Span<float> probabilities)
    {
        var rows = probabilities.Length;
        if (encodedFeatures.Length != (long)rows * Inputs)
            throw new ArgumentException($"Predictor: expected {rows} rows × {Inputs} features = {(long)rows * Inputs} values, got {encodedFeatures.Length}.", nameof(encodedFeatures));
        if (rows == 0) return;
        var path = Gemm.ForcedPath == GemmPath.Auto ? Gemm.BestPath : Gemm.ForcedPath;
        if (_batch is null || _batch.Path != path) _batch = BatchPlan.Create(_steps, Inputs, path);
        var chunks = (rows + ChunkRows - 1) / ChunkRows;
        fixed (float* features = encodedFeatures, output = probabilities)
        {
            var job = new BatchJob { Features = features, Probabilities = output, Rows = rows };
            var parallel = chunks > 1 && Gemm.Threading != GemmThreading.SingleThread && GemmPool.Threads > 1 && GemmPool.TryEnter();
            if (!parallel)
            {
                for (var c = 0; c < chunks; c++) RunChunk(&job, c, this);
                return;
            }
            try
            {
                _running = this;
                GemmPool.Run(&RunChunkTask, &job, chunks);
            }
            finally
            {
                _running = null;
                GemmPool.Exit();
            }
        }
    }

    // The pool runs one job at a time (GemmPool.TryEnter), so the predictor of the running job can sit in a static.
    private static Predictor? _running;

    [ThreadStatic] private static float[]? _chunkBuffer;

    private static unsafe void RunChunkTask(void* state, int chunk) => RunChunk((BatchJob*)state, chunk, _running!);

    private static unsafe void RunChunk(BatchJob* job, int chunk, Predictor predictor)
    {
        var plan = predictor._batch!;
        var start = chunk * ChunkRows;
        var count = Math.Min(ChunkRows, job->Rows - start);
        var padded = (count + PackedLinear.TileRows - 1) / PackedLinear.TileRows * PackedLinear.TileRows;
        var half = PaddedChunkRows * plan.MaxStride;
        if (_chunkBuffer is null || _chunkBuffer.Length < 2 * half) _chunkBuffer = GC.AllocateArray<float>(2 * half, pinned: true);
        fixed (float* buffer = _chunkBuffer)
        {
            float* x = buffer, y = buffer + half;
            var stride = predictor.Inputs;
            predictor.Standardize(new ReadOnlySpan<float>(job->Features + ((nint)start * stride), count * stride), new Span<float>(x, count * stride));
            foreach (var layer in plan.Layers)
            {
                if (layer.Packed is { } packed)
                {
                    packed.Apply(x, stride, padded, y, layer.FuseRelu);
                    Swap(ref x, ref y);
                    stride = packed.PaddedWidth;
                }
                else if (layer.Step.Kind.Role == LayerRole.Linear)
                {   // the one-output layer: a dot product per row, written into column 0
                    var step = layer.Step;
                    for (var r = 0; r < count; r++)
                        y[r] = TensorPrimitives.Dot(step.Weight, new ReadOnlySpan<float>(x + ((nint)r * stride), step.In)) + step.Bias[0];
                    Swap(ref x, ref y);
                    stride = 1;
                }
                else
                {
                    layer.Step.Apply(new Span<float>(x, padded * stride), padded, stride);
                }
            }
            var output = new Span<float>(job->Probabilities + start, count);
            for (var r = 0; r < count; r++) output[r] = x[(nint)r * stride];
            NetworkProbability.FromOutputs(output, predictor._applySigmoid);
        }
    }

    private static unsafe void Swap(ref float* a, ref float* b)
    {
        var t = a;
        a = b;
        b = t;
    }

    private unsafe struct BatchJob
    {
        public float* Features;
        public float* Probabilities;
        public int Rows;
    }

    /// <summary>The network prepared for batches on one GEMM path: packed weights, ReLUs fused into the Linear before them.</summary>
    private sealed class BatchPlan
    {
        public GemmPath Path { get; private init; }

        public (Step Step, PackedLinear? Packed, bool FuseRelu)[] Layers { get; private init; } = [];

        /// <summary>The widest row stride of any activation buffer.</summary>
        public int MaxStride { get; private init; }

        public static BatchPlan Create(Step[] steps, int inputs, GemmPath path)
        {
            var layers = new List<(Step, PackedLinear?, bool)>();
            var maxStride = inputs;
            for (var i = 0; i < steps.Length; i++)
            {
                var step = steps[i];
                if (step.Kind.Role != LayerRole.Linear)
                {
                    layers.Add((step, null, false));
                    continue;
                }
                if (step.Width == 1)
                {
                    layers.Add((step, null, false));
                    continue;
                }
                var packed = new PackedLinear(step.Weight, step.Bias, step.Width, step.In, path);
                var fuse = i + 1 < steps.Length && steps[i + 1].Kind.FusesIntoLinear;
                layers.Add((step, packed, fuse));
                maxStride = Math.Max(maxStride, packed.PaddedWidth);
                if (fuse) i++;
            }
            return new BatchPlan { Path = path, Layers = [.. layers], MaxStride = maxStride };
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

    /// <summary>One layer, flattened: the weights copied (and transposed for the single-row kernel).</summary>
    internal sealed class Step
    {
        public LayerKind Kind { get; private init; } = LayerKinds.Linear;

        /// <summary>Features in (0 for activations, which keep the width).</summary>
        public int In { get; private init; }

        /// <summary>Features out.</summary>
        public int Width { get; private init; }

        /// <summary>Linear: W [out, in] as in the module. BatchNorm: per-feature (mean, invStd, γ, β) in 4 rows.</summary>
        public float[] Weight { get; private init; } = [];

        /// <summary>Linear: Wᵀ in blocks of outputs, as <see cref="PredictorKernels.PackForMatVec"/> lays it out.</summary>
        public float[] MatVecWeight { get; private init; } = [];

        public float[] Bias { get; private init; } = [];

        /// <summary>An elementwise kind's <see cref="LayerKind.Parameter"/>.</summary>
        public float Parameter { get; private init; }

        public static Step? Of(Module layer, int width) => LayerKinds.Of(layer) switch
        {
            { Role: LayerRole.Linear } => FromLinear((Modules.Linear)layer),
            { Role: LayerRole.BatchNorm } => FromBatchNorm((BatchNorm1d)layer),
            { Role: LayerRole.Identity } => null,
            { Role: LayerRole.Elementwise } kind => new Step { Kind = kind, Width = width, Parameter = kind.Parameter(layer) },
            _ => throw new ArgumentException($"Predictor: unsupported layer {layer.GetType().Name} (supported: {LayerKinds.Names}).", nameof(layer)),
        };

        private static Step FromLinear(Modules.Linear linear)
        {
            var (inF, outF) = (linear.InFeatures, linear.OutFeatures);
            var w = (float[])linear.Weight.Data.Clone();
            return new Step
            {
                Kind = LayerKinds.Linear, In = inF, Width = outF, Weight = w, MatVecWeight = PredictorKernels.PackForMatVec(w, outF, inF),
                Bias = linear.Bias is null ? new float[outF] : (float[])linear.Bias.Data.Clone(),
            };
        }

        private static Step FromBatchNorm(BatchNorm1d norm)
        {
            if (norm.RunningMean is null || norm.RunningVar is null)
                throw new ArgumentException("Predictor: a BatchNorm1d without running statistics (trackRunningStats: false) normalizes each batch by itself and cannot serve single rows.");
            var c = norm.NumFeatures;
            var p = new float[4 * c];
            for (var j = 0; j < c; j++)
            {
                p[j] = norm.RunningMean.Data[j];
                p[c + j] = (float)(1.0 / Math.Sqrt(norm.RunningVar.Data[j] + norm.Eps));
                p[2 * c + j] = norm.Weight?.Data[j] ?? 1f;
                p[3 * c + j] = norm.Bias?.Data[j] ?? 0f;
            }
            return new Step { Kind = LayerKinds.BatchNorm1d, In = c, Width = c, Weight = p };
        }

        /// <summary>Applies an elementwise layer in place to <paramref name="rows"/> rows of <see cref="Width"/> values.</summary>
        public void Apply(Span<float> values, int rows) => Apply(values, rows, Width);

        /// <summary>As <see cref="Apply(Span{float}, int)"/>, on rows <paramref name="stride"/> apart (values beyond Width in a row may change).</summary>
        public void Apply(Span<float> values, int rows, int stride)
        {
            switch (Kind.Role)
            {
                case LayerRole.Elementwise: Kind.Forward!(values, Parameter); break;
                case LayerRole.BatchNorm:
                    var c = Width;
                    for (var r = 0; r < rows; r++)
                        for (var j = 0; j < c; j++)
                        {   // BatchNorm1d's eval arithmetic: γ·(x − mean)·invStd + β in float
                            ref var v = ref values[r * stride + j];
                            v = Weight[2 * c + j] * (v - Weight[j]) * Weight[c + j] + Weight[3 * c + j];
                        }
                    break;
                default: throw new InvalidOperationException($"Predictor: {Kind.Name} is not elementwise.");
            }
        }
    }
}
