using System.Collections.Concurrent;

namespace EnvoyExt.ControlPlane.XdsServer;

/// <summary>
/// What each connected proxy has accepted or rejected, for the admin /status endpoint: a rejected
/// config must be visible to an operator, not only in a log line.
/// </summary>
public sealed class XdsStreamRegistry
{
    private readonly ConcurrentDictionary<long, StreamInfo> _streams = new();
    private readonly ConcurrentDictionary<(string NodeKey, string TypeUrl), NackRecord> _nacks = new();
    private long _nextId;

    public long Open(string nodeId, string nodeKey)
    {
        var id = Interlocked.Increment(ref _nextId);
        _streams[id] = new StreamInfo(id, nodeId, nodeKey, DateTimeOffset.UtcNow);
        return id;
    }

    public void Close(long id) => _streams.TryRemove(id, out _);

    public void Acked(long id, string typeUrl, string version)
    {
        if (_streams.TryGetValue(id, out var info))
        {
            info.AckedVersions[typeUrl] = version;
            _nacks.TryRemove((info.NodeKey, typeUrl), out _);
        }
    }

    public void Nacked(long id, string typeUrl, string rejectedVersion, string message)
    {
        if (_streams.TryGetValue(id, out var info))
        {
            // The message comes from the client: kept short, as is everything /status repeats from clients.
            _nacks[(info.NodeKey, typeUrl)] = new NackRecord(info.NodeKey, info.NodeId, typeUrl, rejectedVersion,
                XdsLimits.Shorten(message, XdsLimits.MaxClientTextChars), DateTimeOffset.UtcNow);
        }
    }

    public IReadOnlyList<StreamInfo> Streams => _streams.Values.OrderBy(s => s.Id).ToList();

    /// <summary>The latest rejection per (node key, type) not yet followed by an ACK.</summary>
    public IReadOnlyList<NackRecord> OpenNacks =>
        _nacks.Values.OrderBy(n => n.NodeKey, StringComparer.Ordinal).ThenBy(n => n.TypeUrl, StringComparer.Ordinal).ToList();

    public sealed record StreamInfo(long Id, string NodeId, string NodeKey, DateTimeOffset ConnectedAt)
    {
        public ConcurrentDictionary<string, string> AckedVersions { get; } = new(StringComparer.Ordinal);
    }

    public sealed record NackRecord(string NodeKey, string NodeId, string TypeUrl, string RejectedVersion, string Message, DateTimeOffset At);
}
