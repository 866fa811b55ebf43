using Converge.Persistence;

namespace Converge.Cli.Output;

/// <summary>
/// Checks output paths before any work is done, and writes text files atomically. The rule itself
/// (atomic replace, symlinks written through, devices and FIFOs refused, temporary files cleaned
/// up) lives in <see cref="AtomicFile"/>; this adds the command line's view: which option named
/// the path, and that an output is never one of the command's inputs or another output.
/// </summary>
public static class OutputPaths
{
    /// <summary>
    /// Throws a <see cref="UserError"/> when <paramref name="path"/> cannot be written: empty, a directory,
    /// a device or FIFO, or in a directory that does not exist. Checked up front so a long training run is not wasted.
    /// </summary>
    public static void CheckWritable(string option, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            AtomicFile.CheckTarget(path);
        }
        catch (IOException e)
        {
            throw new UserError($"{option}: {e.Message}", e);
        }
    }

    /// <summary>
    /// <see cref="CheckWritable(string, string)"/>, and that <paramref name="path"/> is none of <paramref name="others"/>
    /// (inputs and other outputs, as (option, path) pairs): compared as resolved paths and by file identity,
    /// so <c>./d.csv</c>, a symlink to it or a hard link all count as <c>d.csv</c>.
    /// </summary>
    public static void CheckWritable(string option, string path, params (string Role, string? Path)[] others)
    {
        ArgumentNullException.ThrowIfNull(others);
        CheckWritable(option, path);
        var target = FileIdentity.Resolve(path);
        foreach (var (role, other) in others)
        {
            if (other is null) continue;
            var same = string.Equals(target, FileIdentity.Resolve(other), StringComparison.Ordinal)
                || (File.Exists(path) && File.Exists(other) && FileIdentity.SameFile(path, other));
            if (same) throw new UserError($"{option}: '{path}' is also {role}; choose another path (Converge never overwrites its inputs).");
        }
    }

    /// <summary>
    /// Writes a text file atomically (see <see cref="AtomicFile"/>), so a failure half-way (a bad row in a
    /// big CSV, a full disk, Ctrl-C) never leaves a truncated file or a temporary file behind.
    /// </summary>
    public static void WriteAtomically(string option, string path, Action<TextWriter> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        CheckWritable(option, path);
        try
        {
            AtomicFile.WriteText(path, write);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserError($"{option}: {e.Message}", e);
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
