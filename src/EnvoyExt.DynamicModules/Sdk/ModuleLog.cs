using System.Text;
using EnvoyExt.DynamicModules.Abi;

namespace EnvoyExt.DynamicModules.Sdk;

/// <summary>
/// Logs to Envoy's <c>dynamic_modules</c> logger from any thread: through <c>log_v2</c> when the host has
/// it, else the deprecated <c>log</c>, else (before program init resolved the table) stderr.
/// Never log secrets or request bodies.
/// </summary>
public static unsafe class ModuleLog
{
    /// <summary>Whether Envoy would keep a message at <paramref name="level"/> (Info and above when it cannot say).</summary>
    /// <param name="level">The level.</param>
    /// <returns>True when worth building the message.</returns>
    public static bool IsEnabled(LogLevel level)
    {
        if (EnvoyCallbacks.LogEnabled == null)
        {
            return level >= LogLevel.Info;
        }
        return EnvoyCallbacks.LogEnabled((int)level) != 0;
    }

    /// <summary>Logs UTF-8 bytes without allocating.</summary>
    /// <param name="level">The level.</param>
    /// <param name="utf8Message">The message.</param>
    public static void Write(LogLevel level, ReadOnlySpan<byte> utf8Message)
    {
        fixed (byte* p = utf8Message)
        {
            var message = new ModuleBuffer(p, utf8Message.Length);
            if (EnvoyCallbacks.LogV2 != null)
            {
                EnvoyCallbacks.LogV2((int)level, message, default, 0);
            }
            else if (EnvoyCallbacks.Log != null)
            {
                EnvoyCallbacks.Log((int)level, message);
            }
            else
            {
                WriteStderr(utf8Message);
            }
        }
    }

    /// <summary>Convenience for cold paths (config errors, barrier reports); encodes the string.</summary>
    /// <param name="level">The level.</param>
    /// <param name="message">The message.</param>
    public static void Write(LogLevel level, string message)
    {
        var max = Encoding.UTF8.GetMaxByteCount(message.Length);
        if (max <= 512)
        {
            Span<byte> buffer = stackalloc byte[512];
            var written = Encoding.UTF8.GetBytes(message, buffer);
            Write(level, buffer[..written]);
        }
        else
        {
            Write(level, Encoding.UTF8.GetBytes(message));
        }
    }

    internal static void WriteStderr(ReadOnlySpan<byte> utf8Message)
    {
        using var stderr = Console.OpenStandardError();
        stderr.Write(utf8Message);
        stderr.Write("\n"u8);
    }
}
