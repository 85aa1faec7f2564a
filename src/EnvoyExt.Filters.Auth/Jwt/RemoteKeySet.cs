using EnvoyExt.DynamicModules.Sdk;
using EnvoyExt.Filters.Auth.Config;

namespace EnvoyExt.Filters.Auth.Jwt;

/// <summary>
/// A JWKS fetched through an Envoy cluster by a stream's one-shot callout. The fetched document is shared
/// (published with a volatile write); each worker imports its own key set from it. Once a document exists
/// requests never wait: a stale one is refreshed by one stream at a time (an atomic flag) while the cached
/// keys keep serving.
/// </summary>
internal sealed class RemoteKeySet : KeySetSource
{
    private readonly int _cacheSize;
    private readonly long _refreshMs;
    private readonly long _fetchTimeoutMs;
    private readonly Slot?[] _perWorker = new Slot?[PerWorker.MaxWorkers];
    private volatile Document? _current;
    private int _refreshing;
    private long _refreshStartedMs;

    public RemoteKeySet(RemoteJwks config, int cacheSize)
    {
        Cluster = System.Text.Encoding.UTF8.GetBytes(config.Cluster!);
        Host = System.Text.Encoding.UTF8.GetBytes(config.Host!);
        Path = System.Text.Encoding.UTF8.GetBytes(config.Path!);
        TimeoutMs = (ulong)(config.TimeoutMs ?? 5000);
        _fetchTimeoutMs = (long)TimeoutMs;
        _refreshMs = (config.RefreshSeconds ?? 300) * 1000L;
        _cacheSize = cacheSize;
    }

    public byte[] Cluster { get; }

    public byte[] Host { get; }

    public byte[] Path { get; }

    public ulong TimeoutMs { get; }

    /// <summary>True once any fetch has succeeded.</summary>
    public bool HasDocument => _current is not null;

    public override JsonWebKeySet? Get(in HttpFilterContext ctx)
    {
        var document = _current;
        if (document is null)
        {
            return null;
        }
        var worker = ctx.WorkerIndex;
        if (worker >= (uint)_perWorker.Length)
        {
            return JsonWebKeySet.Parse(document.Json, allowSymmetric: false, 0, out _);
        }
        var slot = _perWorker[worker];
        if (slot is null || !ReferenceEquals(slot.Document, document))
        {
            slot = new Slot(document, JsonWebKeySet.Parse(document.Json, allowSymmetric: false, _cacheSize, out _));
            _perWorker[worker] = slot;
        }
        return slot.Keys;
    }

    /// <summary>
    /// Claims the one background refresh when the document is older than the refresh interval. A claim
    /// older than twice the fetch timeout is abandoned (its stream ended before the answer came).
    /// </summary>
    public bool TryClaimRefresh(long nowMs)
    {
        var document = _current;
        if (document is null || nowMs - document.FetchedMs < _refreshMs)
        {
            return false;
        }
        if (Interlocked.CompareExchange(ref _refreshing, 1, 0) == 0)
        {
            Volatile.Write(ref _refreshStartedMs, nowMs);
            return true;
        }
        if (nowMs - Volatile.Read(ref _refreshStartedMs) > 2 * _fetchTimeoutMs)
        {
            Volatile.Write(ref _refreshStartedMs, nowMs);
            return true;
        }
        return false;
    }

    /// <summary>Publishes a fetched document when it parses; false (the old one stays) when it does not.</summary>
    public bool Publish(byte[] json, long nowMs, out string? error)
    {
        using var probe = JsonWebKeySet.Parse(json, allowSymmetric: false, 0, out error);
        if (probe is not null)
        {
            _current = new Document(json, nowMs);
        }
        return probe is not null;
    }

    /// <summary>Ends a refresh claim (after an answer, a failure, or the end of the claiming stream).</summary>
    public void ReleaseRefresh() => Volatile.Write(ref _refreshing, 0);

    /// <summary>The size bound a fetched document must respect.</summary>
    public static int MaxBytes => AuthFilterContract.MaxJwksBytes;

    private sealed record Document(byte[] Json, long FetchedMs);

    private sealed record Slot(Document Document, JsonWebKeySet? Keys);
}
