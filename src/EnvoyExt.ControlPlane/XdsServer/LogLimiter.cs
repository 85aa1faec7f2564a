using Microsoft.Extensions.Logging;

namespace EnvoyExt.ControlPlane.XdsServer;

/// <summary>
/// Lets at most <see cref="LinesPerWindow"/> lines of one kind through per window, across all
/// streams, and counts the rest into the next line that passes: a reconnect storm or a NACK loop
/// costs a few lines per second, not one per event.
/// </summary>
public sealed class LogLimiter
{
    public const int LinesPerWindow = 20;
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(10);
    private readonly object _gate = new();
    private readonly Dictionary<string, (DateTime Start, int Lines, long Suppressed)> _kinds = new(StringComparer.Ordinal);

    /// <summary>Total lines suppressed since start (all kinds).</summary>
    public long Suppressed { get; private set; }

    /// <summary>Logs through <paramref name="log"/> unless this kind used its window; the argument is the suppressed count to mention.</summary>
    public void Log(string kind, Action<long> log)
    {
        long mention;
        lock (_gate)
        {
            var now = DateTime.UtcNow;
            var state = _kinds.GetValueOrDefault(kind, (now, 0, 0));
            if (now - state.Start >= Window)
            {
                state = (now, 0, state.Suppressed);
            }
            if (state.Lines >= LinesPerWindow)
            {
                _kinds[kind] = (state.Start, state.Lines, state.Suppressed + 1);
                Suppressed++;
                return;
            }
            mention = state.Suppressed;
            _kinds[kind] = (state.Start, state.Lines + 1, 0);
        }
        log(mention);
    }

    public static string SuppressedNote(long suppressed) => suppressed == 0 ? "" : $" ({suppressed} similar lines suppressed)";
}

/// <summary>One place for the stream lines that a storm would otherwise multiply.</summary>
internal static class StreamLog
{
    public static void Opened(LogLimiter limiter, ILogger logger, string protocol, string nodeId, string key) =>
        limiter.Log("stream", n =>
        {
            if (logger.IsEnabled(LogLevel.Information))
            {
                // Shortened only once the level is known to be on (the analyzer cannot see this guard through the lambda).
                var shortNode = XdsLimits.Shorten(nodeId);
                var shortKey = XdsLimits.Shorten(key);
                var note = LogLimiter.SuppressedNote(n);
                XdsLog.StreamOpened(logger, protocol, shortNode, shortKey, note);
            }
        });

    public static void Closed(LogLimiter limiter, ILogger logger, string protocol, string nodeId, string? key, string reason) =>
        limiter.Log("stream", n =>
        {
            if (logger.IsEnabled(LogLevel.Information))
            {
                var shortNode = XdsLimits.Shorten(nodeId);
                var shortKey = XdsLimits.Shorten(key ?? "-");
                var note = LogLimiter.SuppressedNote(n);
                XdsLog.StreamClosed(logger, protocol, shortNode, shortKey, reason, note);
            }
        });

    public static void Nack(LogLimiter limiter, ILogger logger, string key, string nodeId, string type, string? version, string reason) =>
        limiter.Log("nack", n => XdsLog.Nack(logger,
            XdsLimits.Shorten(key), XdsLimits.Shorten(nodeId), type, version, XdsLimits.Shorten(reason, XdsLimits.MaxClientTextChars), LogLimiter.SuppressedNote(n)));
}
