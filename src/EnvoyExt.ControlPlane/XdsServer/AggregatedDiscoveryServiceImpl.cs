using System.Threading.Channels;
using Envoy.Service.Discovery.V3;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace EnvoyExt.ControlPlane.XdsServer;

/// <summary>
/// gRPC binding of ADS (SotW). Each stream gets an <see cref="AdsSession"/> and one loop that takes
/// requests and snapshot-change signals from a channel, so all writes to the stream come from it.
/// </summary>
public sealed class AggregatedDiscoveryServiceImpl(
    XdsSnapshotCache cache,
    XdsMetrics metrics,
    XdsStreamRegistry registry,
    ILogger<AggregatedDiscoveryServiceImpl> logger) : AggregatedDiscoveryService.AggregatedDiscoveryServiceBase
{
    public override async Task StreamAggregatedResources(
        IAsyncStreamReader<DiscoveryRequest> requestStream,
        IServerStreamWriter<DiscoveryResponse> responseStream,
        ServerCallContext context)
    {
        var ct = context.CancellationToken;
        // Null = "the snapshot changed"; at most one such signal is queued at a time (see the watch).
        var events = Channel.CreateUnbounded<DiscoveryRequest?>(new UnboundedChannelOptions { SingleReader = true });
        var session = new AdsSession(cache, metrics, registry, logger, r => responseStream.WriteAsync(r, ct));
        IDisposable? watch = null;
        var changeSignalled = 0;
        metrics.StreamOpened();
        var reader = PumpRequestsAsync(requestStream, events.Writer, ct);
        try
        {
            while (await events.Reader.WaitToReadAsync(ct).ConfigureAwait(false))
            {
                while (events.Reader.TryRead(out var item))
                {
                    if (item is null)
                    {
                        Interlocked.Exchange(ref changeSignalled, 0);
                        continue;
                    }
                    if (session.Handle(item))
                    {
                        logger.LogInformation("ADS stream opened: node {NodeId}, gateway key {Key}", session.NodeId, session.NodeKeyValue);
                        watch = cache.Watch(session.NodeKeyValue!, () =>
                        {
                            // Coalesce: one pending signal is enough, the flush reads the latest snapshot.
                            if (Interlocked.Exchange(ref changeSignalled, 1) == 0)
                            {
                                events.Writer.TryWrite(null);
                            }
                        });
                    }
                }
                await session.FlushAsync().ConfigureAwait(false);
            }
            await reader.ConfigureAwait(false);
        }
        catch (Exception) when (ct.IsCancellationRequested)
        {
            // The client went away or the server is stopping.
        }
        finally
        {
            watch?.Dispose();
            session.Close();
            metrics.StreamClosed();
            logger.LogInformation("ADS stream closed: node {NodeId}, gateway key {Key}", session.NodeId, session.NodeKeyValue);
        }
    }

    private static async Task PumpRequestsAsync(
        IAsyncStreamReader<DiscoveryRequest> requests, ChannelWriter<DiscoveryRequest?> writer, CancellationToken ct)
    {
        try
        {
            while (await requests.MoveNext(ct).ConfigureAwait(false))
            {
                await writer.WriteAsync(requests.Current, ct).ConfigureAwait(false);
            }
            writer.TryComplete();
        }
        catch (Exception e)
        {
            writer.TryComplete(e);
        }
    }
}
