namespace Converge.Persistence;

/// <summary>
/// A model file that cannot be read or written: missing, foreign, truncated, corrupted or
/// unsupported. The message is one line that names the file and the problem, fit to show a user
/// as is (the CLI prints it and exits with code 2).
/// </summary>
public sealed class ModelFileException : Exception
{
    /// <summary>A model-file error without a message.</summary>
    public ModelFileException()
    {
    }

    /// <summary>A model-file error naming the file and what is wrong.</summary>
    public ModelFileException(string message) : base(message)
    {
    }

    /// <summary>A model-file error with its cause.</summary>
    public ModelFileException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
