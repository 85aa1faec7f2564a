using Grpc.Core;

namespace EnvoyExt.ControlPlane.XdsServer;

/// <summary>
/// One ADS stream's lifetime: ends when the client goes away, the server stops, or a limit is
/// exceeded (then with the status that says which). Writes are bounded in time, so a client that
/// stops reading cannot hold the stream's writer, and what it queued, forever.
/// </summary>
internal sealed class AdsStream : IDisposable
{
    /// <summary>
    /// gRPC does not always end a write that waits on flow control when its token is cancelled; a
    /// stream that has not ended this long after an abort is reset at the HTTP/2 level.
    /// </summary>
    private static readonly TimeSpan ResetAfter = TimeSpan.FromSeconds(1);

    private readonly CancellationTokenSource _stop;
    private readonly AdsStreamLimits _limits;
    private readonly Action _resetTransport;
    private StatusBox? _abort;
    private int _ended;

    public AdsStream(AdsStreamLimits limits, Action resetTransport, CancellationToken requestAborted, CancellationToken serverStopping)
    {
        _stop = CancellationTokenSource.CreateLinkedTokenSource(requestAborted, serverStopping);
        _limits = limits;
        _resetTransport = resetTransport;
        ServerStopping = serverStopping;
    }

    public CancellationToken Token => _stop.Token;

    public CancellationToken ServerStopping { get; }

    public AdsStreamLimits Limits => _limits;

    /// <summary>Why the server closed the stream, when it did so because of a limit.</summary>
    public Status? AbortStatus => Volatile.Read(ref _abort)?.Status;

    /// <summary>Ends the stream with <paramref name="status"/> (the first reason wins).</summary>
    public void Abort(StatusCode code, string detail)
    {
        if (Interlocked.CompareExchange(ref _abort, new StatusBox(new Status(code, detail)), null) is not null)
        {
            return;
        }
        try
        {
            _stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
        _ = Task.Delay(ResetAfter).ContinueWith(_ =>
        {
            if (Volatile.Read(ref _ended) == 0)
            {
                _resetTransport();
            }
        }, TaskScheduler.Default);
    }

    /// <summary>Writes one response; a client that does not take it within the write timeout gets its stream closed.</summary>
    public async Task WriteAsync<TResponse>(IServerStreamWriter<TResponse> writer, TResponse response)
    {
        using var timeout = new CancellationTokenSource(_limits.WriteTimeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token, timeout.Token);
        using var onTimeout = timeout.Token.Register(() => Abort(StatusCode.DeadlineExceeded,
            $"the client did not read a response within {_limits.WriteTimeout.TotalSeconds:0.#} s (flow control); closing the stream"));
        await writer.WriteAsync(response, linked.Token).ConfigureAwait(false);
    }

    public void Dispose()
    {
        Volatile.Write(ref _ended, 1);
        _stop.Dispose();
    }

    private sealed record StatusBox(Status Status);
}
