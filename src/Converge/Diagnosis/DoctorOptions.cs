namespace Converge.Diagnosis;

/// <summary>How much work the doctor does beyond reading the numbers.</summary>
/// <param name="Confirm">Test the top actionable finding's remedy with a counterfactual run (two short trainings).</param>
/// <param name="ConfirmationEpochs">Epochs of each confirmation run, capped by the run's own epochs.</param>
public sealed record DoctorOptions(bool Confirm = true, int ConfirmationEpochs = 200);
