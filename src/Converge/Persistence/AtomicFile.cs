using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Converge.Persistence;

/// <summary>
/// The one home of Converge's output rule: every file it writes (model, predictions, PNG, ONNX,
/// report) is written to a temporary file next to the target, flushed to disk and renamed over the
/// target in one step, so a reader sees the old file or the new one, never a part. The temporary
/// file is removed on every failure path, on Ctrl-C and SIGTERM too; one left by a killed process
/// (<c>kill -9</c>) is removed by the next write to the same target. A symlink is written through:
/// the file it points to is replaced and the link kept. An existing directory, device, FIFO or
/// socket is refused. Errors are <see cref="IOException"/>s that name the target, not the temporary file.
/// </summary>
public static class AtomicFile
{
    private static readonly ConcurrentDictionary<string, byte> Pending = new(StringComparer.Ordinal);
    private static readonly PosixSignalRegistration[] Signals = RegisterSignals();

    /// <summary>
    /// Throws an <see cref="IOException"/> when <paramref name="path"/> cannot be an output: empty, an
    /// existing directory or special file, or in a directory that does not exist.
    /// </summary>
    public static void CheckTarget(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (string.IsNullOrWhiteSpace(path)) throw new IOException("the output path is empty.");
        var resolved = FileIdentity.Resolve(path);
        switch (FileIdentity.KindOf(resolved))
        {
            case FileKind.Directory: throw new IOException($"'{path}' is a directory; give a file path.");
            case FileKind.Special: throw new IOException($"'{path}' is a device, FIFO or socket, not a regular file; Converge writes only regular files.");
        }
        var directory = Path.GetDirectoryName(resolved);
        if (!string.IsNullOrEmpty(directory) && !Directory.Exists(directory))
            throw new IOException($"cannot write '{path}': the directory '{directory}' does not exist.");
    }

    /// <summary>Writes <paramref name="path"/> atomically; <paramref name="write"/> fills the stream.</summary>
    /// <exception cref="IOException">The target is not writable or the file system refused (message names <paramref name="path"/>).</exception>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        CheckTarget(path);
        var target = FileIdentity.Resolve(path);
        var directory = Path.GetDirectoryName(target) ?? ".";
        var name = Path.GetFileName(target);
        RemoveAbandoned(directory, name);
        var temp = Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $".{name}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp"));
        Pending.TryAdd(temp, 0);
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, target, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            throw new IOException($"cannot write '{path}': {e.Message.Replace(temp, path, StringComparison.Ordinal)}", e);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
        finally
        {
            Pending.TryRemove(temp, out _);
        }
    }

    /// <summary>Writes bytes atomically (see <see cref="Write(string, Action{Stream})"/>).</summary>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        var copy = bytes.ToArray();
        Write(path, stream => stream.Write(copy));
    }

    /// <summary>Writes UTF-8 text (no BOM) atomically through a buffered writer.</summary>
    public static void WriteText(string path, Action<TextWriter> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false), 1 << 16, leaveOpen: true);
            write(writer);
        });
    }

    /// <summary>The temporary files of writes still in progress in this process (for tests and diagnostics).</summary>
    public static IReadOnlyCollection<string> PendingTemporaryFiles => [.. Pending.Keys];

    /// <summary>Removes <c>.name.PID.*.tmp</c> files whose process no longer runs (left by <c>kill -9</c> or a power cut).</summary>
    private static void RemoveAbandoned(string directory, string name)
    {
        string[] candidates;
        try
        {
            candidates = Directory.GetFiles(directory, $".{name}.*.tmp");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return;
        }
        foreach (var candidate in candidates)
        {
            var parts = Path.GetFileName(candidate)[(name.Length + 2)..].Split('.');
            if (parts.Length != 3 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || IsRunning(pid)) continue;
            TryDelete(candidate);
        }
    }

    private static bool IsRunning(int pid)
    {
        if (pid == Environment.ProcessId) return true;
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    private static PosixSignalRegistration[] RegisterSignals()
    {
        if (OperatingSystem.IsBrowser() || OperatingSystem.IsWasi()) return [];
        // The handler only deletes; it does not cancel the signal, so the process still stops as it would.
        static void Clean(PosixSignalContext _)
        {
            foreach (var temp in Pending.Keys) TryDelete(temp);
        }
        try
        {
            return [PosixSignalRegistration.Create(PosixSignal.SIGINT, Clean), PosixSignalRegistration.Create(PosixSignal.SIGTERM, Clean)];
        }
        catch (PlatformNotSupportedException)
        {
            return [];
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: the write's own error is what matters.
        }
    }
}
