namespace Converge.Cli.Output;

/// <summary>Checks output paths before any work is done, and writes text files atomically.</summary>
public static class OutputPaths
{
    /// <summary>
    /// Throws a <see cref="UserError"/> when <paramref name="path"/> cannot be written: it is a directory
    /// or its directory does not exist. Checked up front so a long training run is not wasted.
    /// </summary>
    public static void CheckWritable(string option, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (string.IsNullOrWhiteSpace(path)) throw new UserError($"{option}: the path is empty.");
        if (Directory.Exists(path)) throw new UserError($"{option}: '{path}' is a directory; give a file path.");
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory) && !Directory.Exists(directory))
            throw new UserError($"{option}: cannot write '{path}': the directory '{directory}' does not exist.");
    }

    /// <summary>
    /// Writes a text file through a temporary file in the same directory, renamed over the target at the
    /// end, so a failure half-way (a bad row in a big CSV) never leaves a truncated file behind.
    /// </summary>
    public static void WriteAtomically(string option, string path, Action<TextWriter> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        CheckWritable(option, path);
        var full = Path.GetFullPath(path);
        var temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var writer = new StreamWriter(temp, append: false, new System.Text.UTF8Encoding(false), 1 << 16))
                write(writer);
            File.Move(temp, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            File.Delete(temp);
            throw new UserError($"{option}: cannot write '{path}': {e.Message}", e);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    /// <summary>The default loss-curve path next to a model: <c>dir/model.safetensors</c> → <c>dir/model.loss.png</c>.</summary>
    public static string DefaultPlotPath(string modelPath)
    {
        ArgumentNullException.ThrowIfNull(modelPath);
        var directory = Path.GetDirectoryName(modelPath) ?? "";
        return Path.Combine(directory, Path.GetFileNameWithoutExtension(modelPath) + ".loss.png");
    }
}
