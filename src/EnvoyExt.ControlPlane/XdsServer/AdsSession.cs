using Envoy.Service.Discovery.V3;
using EnvoyExt.ControlPlane.XdsTranslation;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace EnvoyExt.ControlPlane.XdsServer;

/// <summary>
/// The State-of-the-World protocol for one ADS stream. Requests and snapshot changes are handled on
/// one loop, which is also the only writer, so responses leave in CDS -> EDS -> LDS -> RDS order
/// and per-type state needs no locks.
/// </summary>
internal sealed class AdsSession : IAdsSession<DiscoveryRequest>
{
    public const string ControlPlaneId = "envoyext-controller";

    private readonly XdsSnapshotCache _cache;
    private readonly XdsMetrics _metrics;
    private readonly XdsStreamRegistry _registry;
    private readonly ILogger _logger;
    private readonly LogLimiter _logLimiter;
    private readonly Func<DiscoveryResponse, Task> _send;
    private readonly Dictionary<string, TypeSubscription> _types = new(StringComparer.Ordinal);
    private long _nonce;
    private long _streamId;
    private bool _waitingLogged;

    public AdsSession(XdsSnapshotCache cache, XdsMetrics metrics, XdsStreamRegistry registry, ILogger logger, LogLimiter logLimiter, Func<DiscoveryResponse, Task> send)
    {
        _logLimiter = logLimiter;
        _cache = cache;
        _metrics = metrics;
        _registry = registry;
        _logger = logger;
        _send = send;
        foreach (var typeUrl in XdsTypeUrls.PushOrder)
        {
            _types[typeUrl] = new TypeSubscription(typeUrl);
        }
    }

    /// <summary>The Gateway key, known after the first request (which must carry the node).</summary>
    public string? NodeKeyValue { get; private set; }

    public string NodeId { get; private set; } = "";

    public long StreamId => _streamId;

    /// <summary>
    /// Applies one request. Returns true when it identified the node (first request), so the caller
    /// can start watching the cache for that key. Throws RpcException for protocol violations.
    /// </summary>
    public bool Handle(DiscoveryRequest request)
    {
        var identified = false;
        if (NodeKeyValue is null)
        {
            NodeKeyValue = NodeKey.From(request.Node) ?? throw new RpcException(new Status(
                StatusCode.InvalidArgument, "node: the first request on a stream must carry node.cluster (\"<namespace>/<gateway>\") or node.id"));
            NodeId = request.Node!.Id;
            _streamId = _registry.Open(NodeId, NodeKeyValue);
            identified = true;
        }
        if (string.IsNullOrEmpty(request.TypeUrl))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "type_url: required on an aggregated (ADS) stream"));
        }
        if (!_types.TryGetValue(request.TypeUrl, out var type))
        {
            // Types we never emit (secrets, runtime, ...): nothing to answer; the client times out on them.
            XdsLog.UnservedType(_logger, NodeKeyValue, request.TypeUrl);
            return identified;
        }
        if (request.ResponseNonce.Length > 0 && request.ResponseNonce != type.SentNonce)
        {
            // Answers a response that a newer one superseded; the client will answer the newer one too.
            _metrics.StaleRequest();
            return identified;
        }

        var grew = type.Update(request.ResourceNames);
        if (request.ErrorDetail is not null && request.ResponseNonce.Length > 0)
        {
            // NACK. Nothing to undo: FlushAsync compares content with what was last SENT (the
            // rejected version), not with the client's older version_info, so the rejected content
            // is not sent again until it changes.
            _metrics.Nack(NodeKeyValue, type.TypeUrl);
            _registry.Nacked(_streamId, type.TypeUrl, type.SentVersion ?? "", request.ErrorDetail.Message);
            StreamLog.Nack(_logLimiter, _logger, NodeKeyValue, NodeId, XdsTypeUrls.Label(type.TypeUrl), type.SentVersion, request.ErrorDetail.Message);
        }
        else if (request.ResponseNonce.Length > 0)
        {
            _metrics.Ack(type.TypeUrl);
            _registry.Acked(_streamId, type.TypeUrl, request.VersionInfo);
            if (type.AnswerNextRequest)
            {
                type.AnswerNextRequest = false;
                type.Pending = true;
            }
        }
        if (grew)
        {
            type.Pending = true;
        }
        return identified;
    }

    /// <summary>Sends every response that is due, in push order.</summary>
    public async Task FlushAsync()
    {
        if (NodeKeyValue is null)
        {
            return;
        }
        var snapshot = _cache.Get(NodeKeyValue);
        if (snapshot is null)
        {
            if (!_waitingLogged)
            {
                _waitingLogged = true;
                _logLimiter.Log("waiting", n => XdsLog.WaitingForGateway(_logger,
                    XdsLimits.Shorten(NodeKeyValue!), XdsLimits.Shorten(NodeId), LogLimiter.SuppressedNote(n)));
            }
            return;
        }
        foreach (var typeUrl in XdsTypeUrls.PushOrder)
        {
            var type = _types[typeUrl];
            if (!type.Requested)
            {
                continue;
            }
            var resources = type.Select(snapshot);
            // A wildcard subscriber gets the type's version; a named one the version of its subset,
            // so a change to resources it did not ask for sends it nothing.
            var version = type.Wildcard ? snapshot.Version(typeUrl) : XdsVersion.Of(resources);
            var names = resources.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
            var changed = type.SentVersion != version || !type.SentNames.SetEquals(names);
            if (!type.Pending && !changed)
            {
                continue;
            }
            if (resources.Count == 0 && type.SentVersion is null && !XdsTypeUrls.IsFullState(typeUrl))
            {
                // Named EDS/RDS resources that do not exist yet: an empty answer would only mint a
                // version; stay pending and answer when they appear.
                continue;
            }
            var response = new DiscoveryResponse
            {
                VersionInfo = version,
                TypeUrl = typeUrl,
                Nonce = (++_nonce).ToString(System.Globalization.CultureInfo.InvariantCulture),
                ControlPlane = new Envoy.Config.Core.V3.ControlPlane { Identifier = ControlPlaneId },
            };
            foreach (var resource in resources)
            {
                response.Resources.Add(resource.Packed);
            }
            // Recorded before sending so an ACK racing the write is never taken for stale.
            type.RecordSent(response.Nonce, version, names);
            await _send(response).ConfigureAwait(false);
            _metrics.ResponseSent(typeUrl);
            // A fresh EDS response must follow every CDS push: send it now if EDS changed too,
            // otherwise answer the next EDS request even though its content is unchanged.
            if (typeUrl == XdsTypeUrls.Cluster)
            {
                _types[XdsTypeUrls.Endpoint].AnswerNextRequest = true;
            }
            else if (typeUrl == XdsTypeUrls.Endpoint)
            {
                type.AnswerNextRequest = false;
            }
        }
    }

    public void Close()
    {
        if (_streamId != 0)
        {
            _registry.Close(_streamId);
        }
    }
}
