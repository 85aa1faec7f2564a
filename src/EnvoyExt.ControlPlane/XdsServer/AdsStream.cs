using Grpc.Core;

namespace EnvoyExt.ControlPlane.XdsServer;

/// <summary>
/// One ADS stream's lifetime: ends when the client goes away, the server stops, or a limit is
/// exceeded (then with the status that says which). Writes are bounded in time, so a client that
/// stops reading cannot hold the stream's writer, and what it queued, forever.
/// </summary>
internal sealed class AdsStream : IDisposable
{
    private readonly CancellationTokenSource _stop;
    private readonly AdsStreamLimits _limits;
    private StatusBox? _abort;

    public AdsStream(CancellationToken requestAborted, CancellationToken serverStopping, AdsStreamLimits limits)
    {
        _stop = CancellationTokenSource.CreateLinkedTokenSource(requestAborted, serverStopping);
        _limits = limits;
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
        Interlocked.CompareExchange(ref _abort, new StatusBox(new Status(code, detail)), null);
        try
        {
            _stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>Writes one response, giving up (and closing the stream) when the client does not take it within the write timeout.</summary>
    public async Task WriteAsync<TResponse>(IServerStreamWriter<TResponse> writer, TResponse response)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        timeout.CancelAfter(_limits.WriteTimeout);
        try
        {
            await writer.WriteAsync(response, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!_stop.IsCancellationRequested)
        {
            Abort(StatusCode.DeadlineExceeded, $"the client did not read a response within {_limits.WriteTimeout.TotalSeconds:F0} s (flow control); closing the stream");
            throw;
        }
    }

    public void Dispose() => _stop.Dispose();

    private sealed record StatusBox(Status Status);
}
