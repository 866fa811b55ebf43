using Converge.Tensors;

namespace Converge.Modules;

/// <summary>
/// Batch normalization over the rows of a [batch, features] input (Ioffe &amp; Szegedy 2015,
/// https://arxiv.org/abs/1502.03167), as PyTorch's <c>nn.BatchNorm1d</c>: in training mode each
/// feature is normalized by the batch mean and the <b>biased</b> batch variance, while the running
/// variance is updated with the <b>unbiased</b> one; in eval mode the running statistics are used.
/// With <c>trackRunningStats: false</c> there are no running statistics (no buffers) and batch
/// statistics are used in both modes, as PyTorch's <c>track_running_stats=False</c>.
/// </summary>
public sealed class BatchNorm1d : Module
{
    /// <summary>A batch normalization of <paramref name="numFeatures"/> features with PyTorch's defaults.</summary>
    public BatchNorm1d(int numFeatures, double eps = 1e-5, double? momentum = 0.1, bool affine = true, bool trackRunningStats = true)
    {
        if (numFeatures <= 0) throw new ArgumentOutOfRangeException(nameof(numFeatures), $"BatchNorm1d needs a positive feature count, got {numFeatures}.");
        if (momentum is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(momentum), $"BatchNorm1d: momentum must be in [0, 1] or null, got {momentum}.");
        NumFeatures = numFeatures;
        Eps = eps;
        Momentum = momentum;
        Weight = affine ? Tensor.Parameter(Enumerable.Repeat(1f, numFeatures).ToArray(), numFeatures) : null;
        Bias = affine ? Tensor.Parameter(new float[numFeatures], numFeatures) : null;
        if (trackRunningStats)
        {
            RunningMean = Tensor.Zeros(numFeatures);
            RunningVar = Tensor.Ones(numFeatures);
            NumBatchesTracked = Tensor.Zeros(1);
        }
    }

    /// <summary>The number of features (columns) normalized.</summary>
    public int NumFeatures { get; }

    /// <summary>Added to the variance before the square root.</summary>
    public double Eps { get; }

    /// <summary>True when the module keeps running statistics (PyTorch's <c>track_running_stats</c>).</summary>
    public bool TrackRunningStats => RunningMean is not null;

    /// <summary>Weight of the newest batch in the running statistics; null means a cumulative average.</summary>
    public double? Momentum { get; }

    /// <summary>γ, initialized to 1 (null when not affine).</summary>
    public Tensor? Weight { get; }

    /// <summary>β, initialized to 0 (null when not affine).</summary>
    public Tensor? Bias { get; }

    /// <summary>Buffer: running mean of the batch means, starting at 0 (null without <see cref="TrackRunningStats"/>).</summary>
    public Tensor? RunningMean { get; }

    /// <summary>Buffer: running mean of the unbiased batch variances, starting at 1 (null without <see cref="TrackRunningStats"/>).</summary>
    public Tensor? RunningVar { get; }

    /// <summary>Buffer: training-mode forward passes so far (a float; exact up to 2²⁴; null without <see cref="TrackRunningStats"/>).</summary>
    public Tensor? NumBatchesTracked { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 2 || input.Shape[1] != NumFeatures)
            throw new ArgumentException($"BatchNorm1d expects {NumFeatures} features ([batch, {NumFeatures}]), got shape {Tensor.ShapeToString(input.Shape)}.", nameof(input));
        if (!IsTraining && TrackRunningStats) return EvalForward(input);
        if (input.Shape[0] == 1)
        {
            // PyTorch counts the batch before it checks the size; we keep that quirk.
            if (IsTraining && NumBatchesTracked is not null) NumBatchesTracked.Data[0] += 1;
            throw new ArgumentException($"BatchNorm1d: expected more than 1 value per channel when training, got input size {Tensor.ShapeToString(input.Shape)}.", nameof(input));
        }
        return TrainForward(input, updateStatistics: IsTraining && TrackRunningStats);
    }

    private Tensor TrainForward(Tensor input, bool updateStatistics)
    {
        var (m, c) = (input.Shape[0], NumFeatures);
        var normalized = new float[m * c];   // x̂, kept for the backward pass
        var invStd = new float[c];
        Tensor[] parents = Weight is null ? [input] : [input, Weight!, Bias!];
        return Tensor.Custom([m, c], "batch_norm", parents,
            forward: output =>
            {
                if (updateStatistics) NumBatchesTracked!.Data[0] += 1;
                var f = updateStatistics ? Momentum ?? 1.0 / NumBatchesTracked!.Data[0] : 0;
                for (var j = 0; j < c; j++)
                {
                    var mean = 0d;
                    for (var i = 0; i < m; i++) mean += input.Data[i * c + j];
                    mean /= m;
                    var sumSquares = 0d;
                    for (var i = 0; i < m; i++)
                    {
                        var d = input.Data[i * c + j] - mean;
                        sumSquares += d * d;
                    }
                    var varianceBiased = sumSquares / m;                   // normalizes the batch
                    var inv = 1.0 / Math.Sqrt(varianceBiased + Eps);
                    invStd[j] = (float)inv;
                    var (gamma, beta) = (Weight?.Data[j] ?? 1f, Bias?.Data[j] ?? 0f);
                    for (var i = 0; i < m; i++)
                    {
                        var xHat = (float)((input.Data[i * c + j] - mean) * inv);
                        normalized[i * c + j] = xHat;
                        output.Data[i * c + j] = gamma * xHat + beta;
                    }
                    if (!updateStatistics) continue;
                    RunningMean!.Data[j] = (float)((1 - f) * RunningMean.Data[j] + f * mean);
                    RunningVar!.Data[j] = (float)((1 - f) * RunningVar.Data[j] + f * sumSquares / (m - 1)); // unbiased
                }
            },
            backward: output =>
            {
                // dβ = Σg, dγ = Σg·x̂, dx = γ/√(σ²+ε) · (g − dβ/M − x̂·dγ/M): the batch statistics depend on x.
                var g = output.Grad!;
                var dx = input.RequiresGrad ? input.GradSpan() : default;
                for (var j = 0; j < c; j++)
                {
                    var (sumG, sumGxHat) = (0d, 0d);
                    for (var i = 0; i < m; i++)
                    {
                        sumG += g[i * c + j];
                        sumGxHat += g[i * c + j] * normalized[i * c + j];
                    }
                    if (Weight is not null && Weight.RequiresGrad) Weight.GradSpan()[j] += (float)sumGxHat;
                    if (Bias is not null && Bias.RequiresGrad) Bias.GradSpan()[j] += (float)sumG;
                    if (!input.RequiresGrad) continue;
                    var scale = (Weight?.Data[j] ?? 1f) * invStd[j];
                    for (var i = 0; i < m; i++)
                        dx[i * c + j] += (float)(scale * (g[i * c + j] - sumG / m - normalized[i * c + j] * sumGxHat / m));
                }
            });
    }

    private Tensor EvalForward(Tensor input)
    {
        var (m, c) = (input.Shape[0], NumFeatures);
        var invStd = new float[c];
        Tensor[] parents = Weight is null ? [input] : [input, Weight!, Bias!];
        return Tensor.Custom([m, c], "batch_norm_eval", parents,
            forward: output =>
            {
                for (var j = 0; j < c; j++)
                {
                    invStd[j] = (float)(1.0 / Math.Sqrt(RunningVar!.Data[j] + Eps));
                    var (gamma, beta) = (Weight?.Data[j] ?? 1f, Bias?.Data[j] ?? 0f);
                    for (var i = 0; i < m; i++)
                        output.Data[i * c + j] = gamma * (input.Data[i * c + j] - RunningMean!.Data[j]) * invStd[j] + beta;
                }
            },
            backward: output =>
            {
                var g = output.Grad!;
                for (var j = 0; j < c; j++)
                {
                    var gamma = Weight?.Data[j] ?? 1f;
                    var (sumG, sumGxHat) = (0d, 0d);
                    for (var i = 0; i < m; i++)
                    {
                        var xHat = (input.Data[i * c + j] - RunningMean!.Data[j]) * invStd[j];
                        sumG += g[i * c + j];
                        sumGxHat += g[i * c + j] * xHat;
                        if (input.RequiresGrad) input.GradSpan()[i * c + j] += gamma * invStd[j] * g[i * c + j]; // dx = γ/√(var+ε)·g
                    }
                    if (Weight is not null && Weight.RequiresGrad) Weight.GradSpan()[j] += (float)sumGxHat;
                    if (Bias is not null && Bias.RequiresGrad) Bias.GradSpan()[j] += (float)sumG;
                }
            });
    }

    /// <inheritdoc/>
    protected override IEnumerable<(string Name, Tensor Value)> OwnParameters()
    {
        if (Weight is not null) yield return ("weight", Weight);
        if (Bias is not null) yield return ("bias", Bias);
    }

    /// <inheritdoc/>
    protected override IEnumerable<(string Name, Tensor Value)> OwnBuffers()
    {
        if (RunningMean is null) yield break;
        yield return ("running_mean", RunningMean);
        yield return ("running_var", RunningVar!);
        yield return ("num_batches_tracked", NumBatchesTracked!);
    }

    /// <inheritdoc/>
    protected override string ExtraRepresentation() => $"{NumFeatures}, eps={Eps}, momentum={Momentum?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "None"}, affine={Weight is not null}, track_running_stats={TrackRunningStats}";
}
