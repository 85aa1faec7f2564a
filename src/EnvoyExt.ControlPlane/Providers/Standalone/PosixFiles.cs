using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace EnvoyExt.ControlPlane.Providers.Standalone;

/// <summary>What a file's metadata said when it was opened: enough to tell a file that is still being written.</summary>
internal readonly record struct FileStamp(long Size, long ModifiedUnixNanos);

/// <summary>The outcome of opening one entry of the folder.</summary>
internal enum OpenOutcome
{
    Read,
    NotRegular,
    TooLarge,
    Changing,
}

/// <summary>
/// Opening folder entries without trusting them. .NET's open blocks on a FIFO until a writer
/// appears (freezing the provider) and cannot tell a device or socket from a file, so on Linux the
/// file is opened with O_NONBLOCK, checked with fstat on the open descriptor (no window for a swap
/// between check and open), and read only when it is a regular file within the size bound.
/// </summary>
internal static partial class PosixFiles
{
    private const int ORdOnly = 0;
    private const int ONonBlock = 0x800; // 04000: same value on x86-64 and arm64 Linux
    private const int OCloExec = 0x80000;
    private const int ENxIo = 6;
    private const uint SIfMt = 0xF000;
    private const uint SIfReg = 0x8000;

    /// <summary>struct stat is 144 bytes on x86-64 and 128 on arm64; the buffer covers both.</summary>
    private const int StatBufferBytes = 256;

    /// <summary>True where the non-blocking open and the struct stat layout below are known.</summary>
    public static bool Supported { get; } = OperatingSystem.IsLinux()
        && RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64;

    /// <summary>Reads <paramref name="path"/> when it is a regular file of at most <paramref name="maxBytes"/>; never blocks on special files.</summary>
    public static OpenOutcome TryRead(string path, long maxBytes, out byte[] bytes, out FileStamp stamp)
    {
        bytes = [];
        stamp = default;
        if (!Supported)
        {
            return TryReadPortable(path, maxBytes, out bytes, out stamp);
        }

        var fd = Open(path, ORdOnly | ONonBlock | OCloExec);
        if (fd < 0)
        {
            if (Marshal.GetLastPInvokeError() == ENxIo)
            {
                return OpenOutcome.NotRegular; // a UNIX socket
            }

            throw new IOException($"cannot open: {Marshal.GetLastPInvokeErrorMessage()}");
        }

        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        if (!TryStat(fd, out var mode, out stamp))
        {
            throw new IOException($"cannot stat: {Marshal.GetLastPInvokeErrorMessage()}");
        }

        if ((mode & SIfMt) != SIfReg)
        {
            return OpenOutcome.NotRegular;
        }

        if (stamp.Size > maxBytes)
        {
            return OpenOutcome.TooLarge;
        }

        bytes = new byte[stamp.Size];
        var total = 0;
        while (total < bytes.Length)
        {
            var read = RandomAccess.Read(handle, bytes.AsSpan(total), total);
            if (read == 0)
            {
                return OpenOutcome.Changing; // shrank while being read
            }

            total += read;
        }

        // Grown or rewritten while being read: not a version anyone meant to publish.
        return TryStat(fd, out _, out var after) && after == stamp ? OpenOutcome.Read : OpenOutcome.Changing;
    }

    /// <summary>The canonical path with every symlink resolved; null when it cannot be resolved (dangling, a loop, too deep).</summary>
    public static string? RealPath(string path)
    {
        if (!Supported)
        {
            try
            {
                return Path.GetFullPath(new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path);
            }
            catch (IOException)
            {
                return null;
            }
        }

        var resolved = ResolvePath(path, IntPtr.Zero);
        if (resolved == IntPtr.Zero)
        {
            return null;
        }

        try
        {
            return Marshal.PtrToStringUTF8(resolved);
        }
        finally
        {
            Free(resolved);
        }
    }

    private static bool TryStat(int fd, out uint mode, out FileStamp stamp)
    {
        Span<byte> buffer = stackalloc byte[StatBufferBytes];
        if (FStat(fd, ref MemoryMarshal.GetReference(buffer)) != 0)
        {
            mode = 0;
            stamp = default;
            return false;
        }

        // st_mode: after st_dev, st_ino, st_nlink (8 each) on x86-64; after st_dev, st_ino on arm64.
        mode = BinaryPrimitives.ReadUInt32LittleEndian(buffer[(RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 24 : 16)..]);
        // st_size at 48 and st_mtim at 88 on both.
        var size = BinaryPrimitives.ReadInt64LittleEndian(buffer[48..]);
        var seconds = BinaryPrimitives.ReadInt64LittleEndian(buffer[88..]);
        var nanos = BinaryPrimitives.ReadInt64LittleEndian(buffer[96..]);
        stamp = new FileStamp(size, (seconds * 1_000_000_000) + nanos);
        return true;
    }

    /// <summary>Elsewhere: the portable checks (a FIFO can still block the open there).</summary>
    private static OpenOutcome TryReadPortable(string path, long maxBytes, out byte[] bytes, out FileStamp stamp)
    {
        bytes = [];
        var info = new FileInfo(path);
        stamp = new FileStamp(info.Length, (info.LastWriteTimeUtc - DateTime.UnixEpoch).Ticks * 100);
        if (info.Length > maxBytes)
        {
            return OpenOutcome.TooLarge;
        }

        bytes = File.ReadAllBytes(path);
        return bytes.Length == info.Length ? OpenOutcome.Read : OpenOutcome.Changing;
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fstat", SetLastError = true)]
    private static partial int FStat(int fd, ref byte buffer);

    [LibraryImport("libc", EntryPoint = "realpath", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr ResolvePath(string path, IntPtr resolved);

    [LibraryImport("libc", EntryPoint = "free")]
    private static partial void Free(IntPtr pointer);
}
