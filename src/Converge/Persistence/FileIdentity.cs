using System.Runtime.InteropServices;

namespace Converge.Persistence;

/// <summary>What kind of file system entry a path names (symlinks followed).</summary>
public enum FileKind
{
    /// <summary>Nothing exists at the path.</summary>
    Missing,

    /// <summary>A regular file.</summary>
    Regular,

    /// <summary>A directory.</summary>
    Directory,

    /// <summary>A device, FIFO, socket or other special file: never read as a model, never written to.</summary>
    Special,
}

/// <summary>
/// The type and identity (device and inode) of a path, via POSIX <c>stat</c> on Linux (x64, arm64) and
/// macOS, so two names of one file (hard links, symlinks, <c>./a</c> and <c>a</c>) are recognized and
/// devices and FIFOs are refused before they are opened. Elsewhere the identity falls back to the
/// fully resolved path and only directories are told apart.
/// </summary>
public static partial class FileIdentity
{
    /// <summary>The kind of entry at <paramref name="path"/>, following symlinks.</summary>
    public static FileKind KindOf(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (TryStat(path, out var mode, out _, out _))
        {
            return (mode & 0xF000) switch
            {
                0x8000 => FileKind.Regular,
                0x4000 => FileKind.Directory,
                _ => FileKind.Special,
            };
        }
        if (Directory.Exists(path)) return FileKind.Directory;
        return File.Exists(path) ? FileKind.Regular : FileKind.Missing;
    }

    /// <summary>Whether two paths name the same existing file (same device and inode, or the same resolved path).</summary>
    public static bool SameFile(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (TryStat(a, out _, out var devA, out var inoA) && TryStat(b, out _, out var devB, out var inoB))
            return devA == devB && inoA == inoB;
        return string.Equals(Resolve(a), Resolve(b), OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
    }

    /// <summary>The full path with every symlink in its last component resolved (the file a write lands in).</summary>
    public static string Resolve(string path)
    {
        var full = Path.GetFullPath(path);
        try
        {
            var target = new FileInfo(full).ResolveLinkTarget(returnFinalTarget: true);
            return target is null ? full : Path.GetFullPath(target.FullName);
        }
        catch (IOException)
        {
            return full;
        }
    }

    private static unsafe bool TryStat(string path, out uint mode, out ulong device, out ulong inode)
    {
        (mode, device, inode) = (0, 0, 0);
        int modeOffset;
        if (OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64) modeOffset = 24;
        else if (OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.Arm64) modeOffset = 16;
        else if (OperatingSystem.IsMacOS()) modeOffset = 4;
        else return false;
        var buffer = stackalloc byte[512];
        try
        {
            if (Stat(path, buffer) != 0) return false;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return false;
        }
        if (OperatingSystem.IsMacOS())
        {
            mode = *(ushort*)(buffer + modeOffset);
            device = *(uint*)buffer;
        }
        else
        {
            mode = *(uint*)(buffer + modeOffset);
            device = *(ulong*)buffer;
        }
        inode = *(ulong*)(buffer + 8);
        return true;
    }

    [LibraryImport("libc", EntryPoint = "stat", StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int Stat(string path, byte* buffer);
}
