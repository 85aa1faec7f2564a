using System.Collections.Concurrent;

namespace EnvoyExt.ControlPlane.XdsServer;

/// <summary>
/// Counters of the control plane, read by /status and exported as metrics by
/// <see cref="Telemetry.ControllerInstruments"/>. Lock-free (Interlocked) because streams update
/// them concurrently.
/// </summary>
public sealed class XdsMetrics
{
    private long _translations;
    private long _translationErrors;
    private long _translationNanosTotal;
    private long _lastTranslationNanos;
    private long _connectedStreams;
    private long _staleRequests;
    private long _streamsAborted;
    private readonly ConcurrentDictionary<(string Node, string Type), long> _nacks = new();
    private readonly ConcurrentDictionary<string, long> _acks = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _responses = new(StringComparer.Ordinal);

    public long Translations => Interlocked.Read(ref _translations);

    public long TranslationErrors => Interlocked.Read(ref _translationErrors);

    public long ConnectedStreams => Interlocked.Read(ref _connectedStreams);

    public long StaleRequests => Interlocked.Read(ref _staleRequests);

    /// <summary>Streams the server closed because the client exceeded a limit (queue, names, node, write timeout).</summary>
    public long StreamsAborted => Interlocked.Read(ref _streamsAborted);

    public double LastTranslationSeconds => Interlocked.Read(ref _lastTranslationNanos) / 1e9;

    public double TranslationSecondsTotal => Interlocked.Read(ref _translationNanosTotal) / 1e9;

    public long NacksTotal => _nacks.Values.Sum();

    public IReadOnlyDictionary<(string Node, string Type), long> Nacks => _nacks;

    public IReadOnlyDictionary<string, long> Acks => _acks;

    public IReadOnlyDictionary<string, long> Responses => _responses;

    /// <summary>Receives each successful translation's duration in seconds (the duration histogram), when metrics are exported.</summary>
    internal Action<double>? TranslationSecondsObserver { get; set; }

    public void TranslationSucceeded(TimeSpan duration)
    {
        TranslationSecondsObserver?.Invoke(duration.TotalSeconds);
        Interlocked.Increment(ref _translations);
        var nanos = (long)(duration.TotalMilliseconds * 1e6);
        Interlocked.Add(ref _translationNanosTotal, nanos);
        Interlocked.Exchange(ref _lastTranslationNanos, nanos);
    }

    public void TranslationFailed() => Interlocked.Increment(ref _translationErrors);

    public void StreamOpened() => Interlocked.Increment(ref _connectedStreams);

    public void StreamClosed() => Interlocked.Decrement(ref _connectedStreams);

    public void StaleRequest() => Interlocked.Increment(ref _staleRequests);

    public void StreamAborted() => Interlocked.Increment(ref _streamsAborted);

    public void Nack(string node, string typeUrl) => _nacks.AddOrUpdate((node, typeUrl), 1, (_, n) => n + 1);

    public void Ack(string typeUrl) => _acks.AddOrUpdate(typeUrl, 1, (_, n) => n + 1);

    public void ResponseSent(string typeUrl) => _responses.AddOrUpdate(typeUrl, 1, (_, n) => n + 1);
}
