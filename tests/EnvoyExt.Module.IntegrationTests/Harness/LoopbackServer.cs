using System.Net;
using System.Net.Sockets;
using System.Text;

namespace EnvoyExt.Module.IntegrationTests.Harness;

/// <summary>
/// What every loopback test server shares: a listener on 127.0.0.1 (ephemeral port), an accept loop that hands
/// each connection to <see cref="AnswerAsync"/> on its own task, the requests received so far, and shutdown.
/// A subclass sets up what its answers need, then calls <see cref="Start"/>.
/// </summary>
public abstract class LoopbackServer : IDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<string> _requests = [];
    private Task? _loop;

    protected LoopbackServer()
    {
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
    }

    public int Port { get; }

    /// <summary>Requests received so far, as the subclass recorded them.</summary>
    public IReadOnlyList<string> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>Cancelled when the server is disposed.</summary>
    protected CancellationToken Stopping => _stop.Token;

    protected bool IsStopping => _stop.IsCancellationRequested;

    /// <summary>Starts accepting connections.</summary>
    protected void Start() => _loop = Task.Run(ServeAsync);

    /// <summary>Answers one accepted connection (and disposes it).</summary>
    protected abstract Task AnswerAsync(TcpClient client);

    protected void Record(string request)
    {
        lock (_requests)
        {
            _requests.Add(request);
        }
    }

    /// <summary>
    /// Reads ASCII from <paramref name="stream"/> until <paramref name="complete"/> holds for what arrived;
    /// <c>Closed</c> when the peer closed the connection first.
    /// </summary>
    protected async Task<(string Received, bool Closed)> ReadRequestAsync(Stream stream, Func<string, bool> complete)
    {
        var received = new StringBuilder();
        var buffer = new byte[4096];
        while (!complete(received.ToString()))
        {
            var n = await stream.ReadAsync(buffer, Stopping);
            if (n == 0)
            {
                return (received.ToString(), true);
            }
            received.Append(Encoding.ASCII.GetString(buffer, 0, n));
        }
        return (received.ToString(), false);
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            _ = Task.Run(() => AnswerAsync(client));
        }
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (!disposing)
        {
            return;
        }
        _stop.Cancel();
        _listener.Stop();
        try
        {
            _loop?.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // Cancellation surfaces here; the loop is done either way.
        }
        _stop.Dispose();
    }
}
