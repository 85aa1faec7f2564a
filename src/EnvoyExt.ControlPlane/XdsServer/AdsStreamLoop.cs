using System.Threading.Channels;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace EnvoyExt.ControlPlane.XdsServer;

/// <summary>
/// The one loop that serves an ADS stream: requests and snapshot-change signals arrive through a
/// channel and are handled in order, and the loop is the stream's only writer, so responses leave
/// in push order and session state needs no locks.
/// </summary>
internal static class AdsStreamLoop
{
    public static async Task RunAsync<TRequest>(
        IAsyncStreamReader<TRequest> requests,
        IAdsSession<TRequest> session,
        XdsSnapshotCache cache,
        XdsMetrics metrics,
        ILogger logger,
        string protocol,
        CancellationToken ct)
        where TRequest : class
    {
        // Null = "the snapshot changed"; at most one such signal is queued at a time (see the watch).
        var events = Channel.CreateUnbounded<TRequest?>(new UnboundedChannelOptions { SingleReader = true });
        IDisposable? watch = null;
        var changeSignalled = 0;
        metrics.StreamOpened();
        var reader = PumpRequestsAsync(requests, events.Writer, ct);
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
                        logger.LogInformation("ADS ({Protocol}) stream opened: node {NodeId}, gateway key {Key}", protocol, session.NodeId, session.NodeKeyValue);
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
            logger.LogInformation("ADS ({Protocol}) stream closed: node {NodeId}, gateway key {Key}", protocol, session.NodeId, session.NodeKeyValue);
        }
    }

    private static async Task PumpRequestsAsync<TRequest>(IAsyncStreamReader<TRequest> requests, ChannelWriter<TRequest?> writer, CancellationToken ct)
        where TRequest : class
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
