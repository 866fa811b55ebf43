namespace Converge.Cli;

/// <summary>The process exit codes, as documented in the README.</summary>
public static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Ok = 0;

    /// <summary>An unexpected failure inside Converge (a bug): please report it.</summary>
    public const int InternalError = 1;

    /// <summary>A user mistake: bad arguments, a bad CSV, a missing or damaged model file, an unwritable path.</summary>
    public const int UsageOrInput = 2;

    /// <summary>Training diverged (NaN/Inf); a report was printed and no model was written.</summary>
    public const int Diverged = 3;
}
