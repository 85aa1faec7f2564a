using Envoy.Service.Discovery.V3;
using EnvoyExt.ControlPlane.XdsTranslation;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace EnvoyExt.ControlPlane.XdsServer;

/// <summary>
/// Incremental xDS on one ADS stream: only changed resources and the names of removed ones are
/// sent, in CDS -> EDS -> LDS -> RDS order. Per-resource versions are content hashes, so a rejected
/// resource is not sent again until it changes, and a reconnecting client that reports its versions
/// receives only what differs.
/// </summary>
internal sealed class DeltaAdsSession(
    XdsSnapshotCache cache,
    XdsMetrics metrics,
    XdsStreamRegistry registry,
    ILogger logger,
    LogLimiter logLimiter,
    Func<DeltaDiscoveryResponse, Task> send) : IAdsSession<DeltaDiscoveryRequest>
{
    private readonly Dictionary<string, DeltaSubscription> _types =
        XdsTypeUrls.PushOrder.ToDictionary(t => t, t => new DeltaSubscription(t), StringComparer.Ordinal);
    private long _nonce;
    private long _streamId;
    private bool _waitingLogged;

    public string? NodeKeyValue { get; private set; }

    public string NodeId { get; private set; } = "";

    public bool Handle(DeltaDiscoveryRequest request)
    {
        var identified = false;
        if (NodeKeyValue is null)
        {
            NodeKeyValue = NodeKey.From(request.Node) ?? throw new RpcException(new Status(
                StatusCode.InvalidArgument, "node: the first request on a stream must carry node.cluster (\"<namespace>/<gateway>\") or node.id"));
            NodeId = request.Node!.Id;
            _streamId = registry.Open(NodeId, NodeKeyValue);
            identified = true;
        }
        if (string.IsNullOrEmpty(request.TypeUrl))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "type_url: required on an aggregated (ADS) stream"));
        }
        if (!_types.TryGetValue(request.TypeUrl, out var type))
        {
            XdsLog.UnservedDeltaType(logger, NodeKeyValue, request.TypeUrl);
            return identified;
        }

        // Subscription changes count even when the nonce is stale (unlike SotW).
        type.Apply(request.ResourceNamesSubscribe, request.ResourceNamesUnsubscribe, request.InitialResourceVersions);
        if (request.ResponseNonce.Length == 0)
        {
            return identified;
        }
        if (request.ResponseNonce != type.SentNonce)
        {
            metrics.StaleRequest();
        }
        else if (request.ErrorDetail is not null)
        {
            metrics.Nack(NodeKeyValue, type.TypeUrl);
            registry.Nacked(_streamId, type.TypeUrl, request.ResponseNonce, request.ErrorDetail.Message);
            StreamLog.Nack(logLimiter, logger, NodeKeyValue, NodeId, "delta " + XdsTypeUrls.Label(type.TypeUrl), "in response " + request.ResponseNonce, request.ErrorDetail.Message);
        }
        else
        {
            metrics.Ack(type.TypeUrl);
            registry.Acked(_streamId, type.TypeUrl, request.ResponseNonce);
        }
        return identified;
    }

    public async Task FlushAsync()
    {
        if (NodeKeyValue is null)
        {
            return;
        }
        var snapshot = cache.Get(NodeKeyValue);
        if (snapshot is null)
        {
            if (!_waitingLogged)
            {
                _waitingLogged = true;
                logLimiter.Log("waiting", n => XdsLog.WaitingForGateway(logger,
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
            var response = new DeltaDiscoveryResponse { TypeUrl = typeUrl, SystemVersionInfo = snapshot.Version(typeUrl) };
            var present = new HashSet<string>(StringComparer.Ordinal);
            foreach (var resource in snapshot.Get(typeUrl))
            {
                if (!type.Wants(resource.Name))
                {
                    continue;
                }
                present.Add(resource.Name);
                var version = ResourceVersion(resource);
                if (type.MustSend.Contains(resource.Name) || !type.Known.TryGetValue(resource.Name, out var held) || held != version)
                {
                    response.Resources.Add(new Resource { Name = resource.Name, Version = version, Resource_ = resource.Packed });
                }
            }
            // Gone from the snapshot, or asked for but never existed: tell the client.
            var removed = type.Known.Keys.Where(n => !present.Contains(n))
                .Concat(type.MustSend.Where(n => !present.Contains(n)))
                .Distinct(StringComparer.Ordinal)
                .Order(StringComparer.Ordinal)
                .ToList();
            response.RemovedResources.AddRange(removed);
            type.MustSend.Clear();
            if (response.Resources.Count == 0 && removed.Count == 0)
            {
                continue;
            }
            foreach (var resource in response.Resources)
            {
                type.Known[resource.Name] = resource.Version;
            }
            foreach (var name in removed)
            {
                type.Known.Remove(name);
            }
            response.Nonce = (++_nonce).ToString(System.Globalization.CultureInfo.InvariantCulture);
            response.ControlPlane = new Envoy.Config.Core.V3.ControlPlane { Identifier = AdsSession.ControlPlaneId };
            type.SentNonce = response.Nonce;
            if (typeUrl == XdsTypeUrls.Cluster)
            {
                // Re-created clusters finish warming only on a fresh EDS answer: resend their
                // endpoints right after, in this same flush.
                foreach (var cluster in response.Resources)
                {
                    _types[XdsTypeUrls.Endpoint].Known.Remove(cluster.Name);
                }
            }
            await send(response).ConfigureAwait(false);
            metrics.ResponseSent(typeUrl);
        }
    }

    public void Close()
    {
        if (_streamId != 0)
        {
            registry.Close(_streamId);
        }
    }

    private static string ResourceVersion(XdsResource resource) => Convert.ToHexStringLower(resource.ContentHash.Span)[..16];
}
