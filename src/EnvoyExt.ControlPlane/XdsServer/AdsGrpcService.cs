using Envoy.Service.Discovery.V3;
using Grpc.Core;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EnvoyExt.ControlPlane.XdsServer;

/// <summary>gRPC binding of ADS: State of the World and incremental (Delta) streams.</summary>
public sealed class AdsGrpcService(
    XdsSnapshotCache cache,
    XdsMetrics metrics,
    XdsStreamRegistry registry,
    XdsServerOptions options,
    LogLimiter logLimiter,
    IHostApplicationLifetime lifetime,
    ILogger<AdsGrpcService> logger) : AggregatedDiscoveryService.AggregatedDiscoveryServiceBase
{
    public override async Task StreamAggregatedResources(
        IAsyncStreamReader<DiscoveryRequest> requestStream,
        IServerStreamWriter<DiscoveryResponse> responseStream,
        ServerCallContext context)
    {
        // Streams end when the server stops: open streams never hold up shutdown.
        using var stream = new AdsStream(options.Stream, () => context.GetHttpContext().Abort(), context.CancellationToken, lifetime.ApplicationStopping);
        var session = new AdsSession(cache, metrics, registry, logger, logLimiter, r => stream.WriteAsync(responseStream, r));
        await AdsStreamLoop.RunAsync(requestStream, session, stream, r => AdsRequestLimits.Problem(r, options.Stream), cache, metrics, logger, logLimiter, "sotw").ConfigureAwait(false);
    }

    public override async Task DeltaAggregatedResources(
        IAsyncStreamReader<DeltaDiscoveryRequest> requestStream,
        IServerStreamWriter<DeltaDiscoveryResponse> responseStream,
        ServerCallContext context)
    {
        using var stream = new AdsStream(options.Stream, () => context.GetHttpContext().Abort(), context.CancellationToken, lifetime.ApplicationStopping);
        var session = new DeltaAdsSession(cache, metrics, registry, logger, logLimiter, r => stream.WriteAsync(responseStream, r));
        await AdsStreamLoop.RunAsync(requestStream, session, stream, r => AdsRequestLimits.Problem(r, options.Stream), cache, metrics, logger, logLimiter, "delta").ConfigureAwait(false);
    }
}
