using System.Threading.Channels;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace EnvoyExt.ControlPlane.XdsServer;

/// <summary>
/// The one loop that serves an ADS stream: requests and snapshot-change signals arrive through a
/// channel and are handled in order, and the loop is the stream's only writer, so responses leave
/// in push order and session state needs no locks. Requests are read by a separate pump so a
/// client's requests are consumed while its responses are written; what the pump may queue is
/// bounded in count and bytes, and every request is checked against the stream limits first.
/// </summary>
internal static class AdsStreamLoop
{
    public static async Task RunAsync<TRequest>(
        IAsyncStreamReader<TRequest> requests,
        IAdsSession<TRequest> session,
        AdsStream stream,
        Func<TRequest, string?> checkLimits,
        XdsSnapshotCache cache,
        XdsMetrics metrics,
        ILogger logger,
        LogLimiter logLimiter,
        string protocol)
        where TRequest : class, IMessage
    {
        // Null = "the snapshot changed"; at most one such signal is queued at a time (see the watch).
        var events = Channel.CreateUnbounded<TRequest?>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });
        var queue = new QueueBudget(stream);
        IDisposable? watch = null;
        var changeSignalled = 0;
        var ct = stream.Token;
        metrics.StreamOpened();
        var reader = PumpRequestsAsync(requests, events.Writer, queue, checkLimits, stream);
        var closeReason = "client closed the stream";
        try
        {
            while (await events.Reader.WaitToReadAsync(ct).ConfigureAwait(false))
            {
                // Every wake-up flushes the latest snapshot. The flag is cleared when its signal is
                // dequeued (not when the loop wakes), so "flag set" always means "a signal is queued":
                // a signal consumed by a wake-up that began earlier cannot leave the flag set and
                // swallow the next change.
                while (events.Reader.TryRead(out var item))
                {
                    if (item is null)
                    {
                        Interlocked.Exchange(ref changeSignalled, 0);
                        continue;
                    }
                    queue.Dequeued(item);
                    if (session.Handle(item))
                    {
                        StreamLog.Opened(logLimiter, logger, protocol, session.NodeId, session.NodeKeyValue!);
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
        catch (RpcException e)
        {
            // A protocol violation found by the session: the client gets this status.
            closeReason = $"{e.StatusCode}: {e.Status.Detail}";
            throw;
        }
        catch (Exception e) when (stream.AbortStatus is { } status)
        {
            _ = e;
            metrics.StreamAborted();
            closeReason = $"{status.StatusCode}: {status.Detail}";
            throw new RpcException(status);
        }
        catch (Exception e) when (stream.ServerStopping.IsCancellationRequested)
        {
            _ = e;
            closeReason = "server stopping";
        }
        catch (Exception e)
        {
            // The client went away (reset, closed connection, cancelled call): a normal event, one
            // line without a stack, not an error.
            closeReason = $"client went away ({e.GetType().Name})";
        }
        finally
        {
            watch?.Dispose();
            session.Close();
            metrics.StreamClosed();
            StreamLog.Closed(logLimiter, logger, protocol, session.NodeId, session.NodeKeyValue, closeReason);
        }
    }

    private static async Task PumpRequestsAsync<TRequest>(
        IAsyncStreamReader<TRequest> requests, ChannelWriter<TRequest?> writer, QueueBudget queue, Func<TRequest, string?> checkLimits, AdsStream stream)
        where TRequest : class, IMessage
    {
        try
        {
            while (await requests.MoveNext(stream.Token).ConfigureAwait(false))
            {
                var request = requests.Current;
                if (checkLimits(request) is { } problem)
                {
                    stream.Abort(StatusCode.InvalidArgument, problem);
                    break;
                }
                if (!queue.TryEnqueue(request))
                {
                    break;
                }
                writer.TryWrite(request);
            }
            writer.TryComplete();
        }
        catch (Exception e)
        {
            writer.TryComplete(e);
        }
    }

    /// <summary>Requests read but not handled yet; over budget, the stream is closed with RESOURCE_EXHAUSTED.</summary>
    private sealed class QueueBudget(AdsStream stream)
    {
        private int _count;
        private long _bytes;

        public bool TryEnqueue(IMessage request)
        {
            var count = Interlocked.Increment(ref _count);
            var bytes = Interlocked.Add(ref _bytes, request.CalculateSize());
            var limits = stream.Limits;
            if (count <= limits.MaxQueuedRequests && bytes <= limits.MaxQueuedRequestBytes)
            {
                return true;
            }
            stream.Abort(StatusCode.ResourceExhausted,
                $"{count} requests ({bytes} bytes) queued while the client was not reading its responses; at most {limits.MaxQueuedRequests} requests or {limits.MaxQueuedRequestBytes} bytes");
            return false;
        }

        public void Dequeued(IMessage request)
        {
            Interlocked.Decrement(ref _count);
            Interlocked.Add(ref _bytes, -request.CalculateSize());
        }
    }
}
