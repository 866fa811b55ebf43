namespace Converge.Cli;

/// <summary>A mistake in the command line (a bad option value); printed as one line, exit code 2.</summary>
public sealed class UserError : Exception
{
    public UserError() { }

    public UserError(string message) : base(message) { }

    public UserError(string message, Exception innerException) : base(message, innerException) { }
}
