namespace Converge.Optimizers;

internal static class ScheduleChecks
{
    public static void RequirePositiveFinite(double value, string owner, string name, string paramName)
    {
        if (!(value > 0) || double.IsInfinity(value))
            throw new ArgumentOutOfRangeException(paramName, $"{owner}: {name} must be a finite number > 0, got {value}.");
    }
}
