using Envoy.Service.Discovery.V3;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace EnvoyExt.ControlPlane.XdsServer;

/// <summary>gRPC binding of ADS: State of the World and incremental (Delta) streams.</summary>
public sealed class AggregatedDiscoveryServiceImpl(
    XdsSnapshotCache cache,
    XdsMetrics metrics,
    XdsStreamRegistry registry,
    ILogger<AggregatedDiscoveryServiceImpl> logger) : AggregatedDiscoveryService.AggregatedDiscoveryServiceBase
{
    public override Task StreamAggregatedResources(
        IAsyncStreamReader<DiscoveryRequest> requestStream,
        IServerStreamWriter<DiscoveryResponse> responseStream,
        ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var session = new AdsSession(cache, metrics, registry, logger, r => responseStream.WriteAsync(r, ct));
        return AdsStreamLoop.RunAsync(requestStream, session, cache, metrics, logger, "sotw", ct);
    }

    public override Task DeltaAggregatedResources(
        IAsyncStreamReader<DeltaDiscoveryRequest> requestStream,
        IServerStreamWriter<DeltaDiscoveryResponse> responseStream,
        ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var session = new DeltaAdsSession(cache, metrics, registry, logger, r => responseStream.WriteAsync(r, ct));
        return AdsStreamLoop.RunAsync(requestStream, session, cache, metrics, logger, "delta", ct);
    }
}
