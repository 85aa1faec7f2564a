using System.Net;
using System.Net.Sockets;

namespace EnvoyExt.Filters.RateLimit.Tests.Support;

/// <summary>A TCP proxy to <c>target</c> that holds every reply chunk for <c>delay</c> (a slow Redis), on a loopback port.</summary>
public sealed class DelayingProxy : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _target;
    private readonly CancellationTokenSource _stop = new();
    private long _delayMs;

    public DelayingProxy(int targetPort, TimeSpan delay)
    {
        _target = targetPort;
        _delayMs = (long)delay.TotalMilliseconds;
        _listener.Start();
        _ = AcceptLoop();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public string Address => $"127.0.0.1:{Port}";

    public TimeSpan Delay
    {
        get => TimeSpan.FromMilliseconds(Interlocked.Read(ref _delayMs));
        set => Interlocked.Exchange(ref _delayMs, (long)value.TotalMilliseconds);
    }

    private async Task AcceptLoop()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                var upstream = new TcpClient();
                await upstream.ConnectAsync(IPAddress.Loopback, _target, _stop.Token);
                _ = Pump(client.GetStream(), upstream.GetStream(), delayed: false, client, upstream);
                _ = Pump(upstream.GetStream(), client.GetStream(), delayed: true, client, upstream);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (SocketException)
        {
        }
    }

    private async Task Pump(NetworkStream from, NetworkStream to, bool delayed, TcpClient a, TcpClient b)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                int read = await from.ReadAsync(buffer, _stop.Token);
                if (read == 0)
                {
                    break;
                }
                if (delayed && Delay > TimeSpan.Zero)
                {
                    await Task.Delay(Delay, _stop.Token);
                }
                await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
        a.Dispose();
        b.Dispose();
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
    }
}
