namespace Converge.Persistence;

/// <summary>
/// A model file that cannot be read or written: missing, foreign, truncated, corrupted or
/// unsupported. The message is one line that names the file and the problem, fit to show a user
/// as is (the CLI prints it and exits with code 2).
/// </summary>
public sealed class ModelFileException : Exception
{
    public ModelFileException()
    {
    }

    public ModelFileException(string message) : base(message)
    {
    }

    public ModelFileException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
