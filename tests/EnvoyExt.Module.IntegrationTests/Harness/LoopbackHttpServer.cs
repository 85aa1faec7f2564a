using System.Net;
using System.Net.Sockets;
using System.Text;

namespace EnvoyExt.Module.IntegrationTests.Harness;

/// <summary>
/// A minimal HTTP/1.1 server on 127.0.0.1 (ephemeral port) that answers every request with a fixed
/// status and body and records the request heads it received. Enough for callout targets.
/// </summary>
public sealed class LoopbackHttpServer : IDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly List<string> _requests = [];

    public LoopbackHttpServer(int status, string body)
    {
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _loop = Task.Run(() => ServeAsync(status, body));
    }

    public int Port { get; }

    /// <summary>"127.0.0.1:port", the form the scenario's clusters map takes.</summary>
    public string Address => $"127.0.0.1:{Port}";

    /// <summary>Request heads received so far (request line + headers).</summary>
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

    private async Task ServeAsync(int status, string body)
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
            _ = Task.Run(() => AnswerAsync(client, status, body));
        }
    }

    private async Task AnswerAsync(TcpClient client, int status, string body)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var head = new StringBuilder();
                var buffer = new byte[4096];
                while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    var n = await stream.ReadAsync(buffer, _stop.Token);
                    if (n == 0)
                    {
                        break;
                    }
                    head.Append(Encoding.ASCII.GetString(buffer, 0, n));
                }
                lock (_requests)
                {
                    _requests.Add(head.ToString());
                }
                var payload = Encoding.UTF8.GetBytes(body);
                var response = $"HTTP/1.1 {status} Probe\r\nContent-Type: text/plain\r\nContent-Length: {payload.Length}\r\nConnection: close\r\n\r\n";
                await stream.WriteAsync(Encoding.ASCII.GetBytes(response), _stop.Token);
                await stream.WriteAsync(payload, _stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                // Shutting down.
            }
            catch (IOException)
            {
                // The host gave up on the connection (e.g. a timeout test); nothing to answer.
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // Cancellation surfaces here; the loop is done either way.
        }
        _stop.Dispose();
    }
}
