namespace Converge.Cli.Tests;

/// <summary>A model trained once on tumors.csv (one network, --preset fast, 20 epochs) and shared by a test class.</summary>
public sealed class TrainedModel : IDisposable
{
    private readonly TempDirectory _directory = new();

    public TrainedModel()
    {
        Path = _directory.File("tumors.safetensors");
        var (code, _, error) = Cli.Run("train", Cli.TestData("tumors.csv"), "-l", "diagnosis", "--preset", "fast", "--epochs", "20", "--out", Path, "--no-plot", "-q");
        if (code != 0) throw new InvalidOperationException($"training the shared model failed ({code}): {error}");
    }

    public string Path { get; }

    public string Directory => _directory.Path;

    public void Dispose() => _directory.Dispose();
}
