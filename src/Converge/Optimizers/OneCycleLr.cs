namespace Converge.Optimizers;

/// <summary>How <see cref="OneCycleLr"/> moves between two values within a phase.</summary>
public enum AnnealStrategy
{
    /// <summary>end + (start − end)/2·(cos(π·pct) + 1).</summary>
    Cosine,

    /// <summary>(end − start)·pct + start.</summary>
    Linear,
}

/// <summary>
/// The one-cycle policy (torch.optim.lr_scheduler.OneCycleLR), stepped once per batch: the learning
/// rate warms up from maxLr/divFactor to maxLr over the first pctStart of the steps, then anneals
/// to maxLr/divFactor/finalDivFactor, while the momentum (SGD momentum, Adam β1) moves the opposite way.
/// Unlike the other schedules each value is computed from the step number, not from the previous value.
/// </summary>
public sealed class OneCycleLr : LearningRateScheduler
{
    private readonly Phase[] _phases;

    /// <summary>The 1cycle policy of torch.optim.lr_scheduler.OneCycleLR, with its parameters and defaults.</summary>
    public OneCycleLr(
        Optimizer optimizer,
        double maxLr,
        int totalSteps,
        double pctStart = 0.3,
        AnnealStrategy anneal = AnnealStrategy.Cosine,
        bool cycleMomentum = true,
        double baseMomentum = 0.85,
        double maxMomentum = 0.95,
        double divFactor = 25,
        double finalDivFactor = 1e4,
        bool threePhase = false)
        : base(optimizer, maxLr / divFactor)
    {
        ScheduleChecks.RequirePositiveFinite(maxLr, "OneCycleLr", "MaxLr", nameof(maxLr));
        if (totalSteps < 1) throw new ArgumentOutOfRangeException(nameof(totalSteps), $"OneCycleLr: TotalSteps must be ≥ 1, got {totalSteps}.");
        if (!(pctStart is >= 0 and <= 1))
            throw new ArgumentOutOfRangeException(nameof(pctStart), $"OneCycleLr: PctStart must be in [0, 1], got {pctStart}.");
        if (!Enum.IsDefined(anneal)) throw new ArgumentOutOfRangeException(nameof(anneal), $"OneCycleLr: unknown anneal strategy {anneal}.");
        ScheduleChecks.RequirePositiveFinite(divFactor, "OneCycleLr", "DivFactor", nameof(divFactor));
        ScheduleChecks.RequirePositiveFinite(finalDivFactor, "OneCycleLr", "FinalDivFactor", nameof(finalDivFactor));
        if (cycleMomentum)
        {
            if (optimizer.Momentum is null)
                throw new ArgumentException("OneCycleLr: cycleMomentum needs an optimizer with a momentum (SGD momentum or Adam β1); this one has none. Pass cycleMomentum: false.", nameof(optimizer));
            if (!(baseMomentum is >= 0 and <= 1))
                throw new ArgumentOutOfRangeException(nameof(baseMomentum), $"OneCycleLr: BaseMomentum must be in [0, 1], got {baseMomentum}.");
            if (!(maxMomentum is >= 0 and <= 1))
                throw new ArgumentOutOfRangeException(nameof(maxMomentum), $"OneCycleLr: MaxMomentum must be in [0, 1], got {maxMomentum}.");
        }

        MaxLr = maxLr;
        TotalSteps = totalSteps;
        Anneal = anneal;
        CycleMomentum = cycleMomentum;
        BaseMomentum = baseMomentum;
        MaxMomentum = maxMomentum;
        MinLr = BaseLearningRate / finalDivFactor;

        var initial = BaseLearningRate;
        // Phase ends are floats, as in PyTorch: with pctStart·totalSteps not an integer the warm-up ends between steps.
        var warmupEnd = (pctStart * totalSteps) - 1;
        _phases = threePhase
            ?
            [
                new(warmupEnd, initial, maxLr, maxMomentum, baseMomentum),
                new((2 * pctStart * totalSteps) - 2, maxLr, initial, baseMomentum, maxMomentum),
                new(totalSteps - 1, initial, MinLr, maxMomentum, maxMomentum),
            ]
            :
            [
                new(warmupEnd, initial, maxLr, maxMomentum, baseMomentum),
                new(totalSteps - 1, maxLr, MinLr, baseMomentum, maxMomentum),
            ];

        if (cycleMomentum) optimizer.Momentum = maxMomentum;
        Step();
    }

    /// <summary>The peak learning rate.</summary>
    public double MaxLr { get; }

    /// <summary>The final learning rate, maxLr/divFactor/finalDivFactor.</summary>
    public double MinLr { get; }

    /// <summary>
    /// Batches in the cycle; <see cref="LearningRateScheduler.Step"/> may be called this many times after construction
    /// (the last call, after the last batch, holds the final values) and throws after that.
    /// </summary>
    public int TotalSteps { get; }

    /// <summary>How values move within a phase.</summary>
    public AnnealStrategy Anneal { get; }

    /// <summary>Whether the optimizer's momentum is cycled inversely to the learning rate.</summary>
    public bool CycleMomentum { get; }

    /// <summary>The momentum at the learning-rate peak.</summary>
    public double BaseMomentum { get; }

    /// <summary>The momentum at the start and end of the cycle.</summary>
    public double MaxMomentum { get; }

    /// <inheritdoc />
    protected override double NextLearningRate(int epoch, double current)
    {
        // PyTorch allows last_epoch up to total_steps (one step beyond the last scheduled batch) and raises after it.
        if (epoch > TotalSteps)
            throw new InvalidOperationException(
                $"OneCycleLr: tried to step {epoch + 1} times, but TotalSteps is {TotalSteps}. Step once per batch and size TotalSteps as epochs × batches per epoch.");

        var start = 0d;
        for (var i = 0; i < _phases.Length; i++)
        {
            var phase = _phases[i];
            if (epoch <= phase.EndStep || i == _phases.Length - 1)
            {
                var span = phase.EndStep - start;
                if (span == 0)
                    throw new InvalidOperationException(
                        $"OneCycleLr: phase {i + 1} has zero length at step {epoch} (PctStart·TotalSteps gives a degenerate phase); PyTorch fails here with a division by zero.");
                // Step TotalSteps comes after the last batch and PyTorch extrapolates there (pct > 1), which a
                // linear anneal takes below zero; holding the end value keeps the rate valid. Steps before it match PyTorch.
                var pct = Math.Min((epoch - start) / span, 1);
                if (CycleMomentum) Optimizer.Momentum = Interpolate(phase.StartMomentum, phase.EndMomentum, pct);
                return Interpolate(phase.StartLr, phase.EndLr, pct);
            }
            start = phase.EndStep;
        }
        throw new InvalidOperationException("OneCycleLr: unreachable, the last phase always matches.");
    }

    private double Interpolate(double start, double end, double pct) => Anneal == AnnealStrategy.Cosine
        ? end + ((start - end) / 2.0 * (Math.Cos(Math.PI * pct) + 1))
        : ((end - start) * pct) + start;

    private readonly record struct Phase(double EndStep, double StartLr, double EndLr, double StartMomentum, double EndMomentum);
}
