namespace Converge.Optimizers;

/// <summary>
/// Multiplies the learning rate by <see cref="Gamma"/> at each milestone epoch
/// (torch.optim.lr_scheduler.MultiStepLR). Milestones are a multiset: an epoch listed k times
/// applies gamma^k.
/// </summary>
public sealed class MultiStepLr : LearningRateScheduler
{
    private readonly Dictionary<int, int> _multiplicity = [];

    /// <summary>Multiplies the learning rate by <paramref name="gamma"/> at each of <paramref name="milestones"/>.</summary>
    public MultiStepLr(Optimizer optimizer, IEnumerable<int> milestones, double gamma = 0.1)
        : base(optimizer, optimizer?.InitialLearningRate ?? 0)
    {
        ArgumentNullException.ThrowIfNull(milestones);
        ScheduleChecks.RequirePositiveFinite(gamma, "MultiStepLr", "Gamma", nameof(gamma));
        foreach (var m in milestones)
        {
            if (m < 0) throw new ArgumentOutOfRangeException(nameof(milestones), $"MultiStepLr: milestones must be ≥ 0, got {m}.");
            _multiplicity[m] = _multiplicity.GetValueOrDefault(m) + 1;
        }
        Milestones = [.. milestones.Order()];
        Gamma = gamma;
        Step();
    }

    /// <summary>The milestones in ascending order, repeats kept.</summary>
    public IReadOnlyList<int> Milestones { get; }

    /// <summary>Multiplicative decay factor per milestone occurrence.</summary>
    public double Gamma { get; }

    /// <summary>Closed form base·gamma^(milestones ≤ epoch); may differ from the stepped values in the last bits.</summary>
    public static double At(double baseLearningRate, IEnumerable<int> milestones, double gamma, int epoch)
    {
        ArgumentNullException.ThrowIfNull(milestones);
        return baseLearningRate * Math.Pow(gamma, milestones.Count(m => m <= epoch));
    }

    // As in PyTorch, a milestone at 0 already applies at construction.
    /// <inheritdoc />
    protected override double NextLearningRate(int epoch, double current) =>
        _multiplicity.TryGetValue(epoch, out var k) ? current * Math.Pow(Gamma, k) : current;
}
