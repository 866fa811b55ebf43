namespace Converge.Diagnosis;

/// <summary>How much work the doctor does beyond reading the numbers.</summary>
/// <param name="Confirm">Run the remedy search when there are warnings or errors (candidate remedies trained on the same data and seed).</param>
/// <param name="SearchSeconds">
/// The search's compute budget: each candidate gets the run's own epochs, or fewer when the candidates would not
/// fit in this many seconds at the run's measured cost per epoch (never fewer than 50);
/// no new candidate starts after twice the budget.
/// </param>
/// <param name="MaxEpochs">A cap on each candidate's epochs; 0 means the run's own epochs.</param>
public sealed record DoctorOptions(bool Confirm = true, double SearchSeconds = 5, int MaxEpochs = 0);
