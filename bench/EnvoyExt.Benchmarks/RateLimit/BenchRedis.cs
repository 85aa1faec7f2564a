using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using EnvoyExt.Filters.RateLimit.Global;

namespace EnvoyExt.Benchmarks.RateLimit;

/// <summary>
/// A redis-server on a free loopback port for the Global benchmarks, and the filter's own connection to it;
/// <see cref="RoundTrip"/> is one lease script call (what a separate rate-limit service costs per request).
/// </summary>
internal sealed class BenchRedis : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);
    private readonly Process _server;
    private readonly RedisConnection _connection;
    private readonly StackExchange.Redis.RedisKey _key = "bench:round-trip";

    public BenchRedis()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        _server = Process.Start(new ProcessStartInfo("redis-server", $"--port {port} --bind 127.0.0.1 --save \"\" --appendonly no")
        {
            RedirectStandardOutput = true,
        }) ?? throw new InvalidOperationException("redis-server did not start");
        _connection = new RedisConnection(new RedisSettingsSnapshot([$"127.0.0.1:{port}"], false, 0, "bench", Timeout, null));
        _connection.EnsureStarted(null);
        // A loaded machine can take seconds to start the server: ask until it answers (bounded).
        var deadline = Stopwatch.StartNew();
        while (!RoundTrip())
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(30))
            {
                Dispose();
                throw new InvalidOperationException("redis-server did not answer the lease script within 30 s");
            }
            Thread.Sleep(100);
        }
    }

    /// <summary>One lease of one token, waited for on this thread.</summary>
    public bool RoundTrip() =>
        _connection.LeaseAsync(_key, int.MaxValue, 1, 1, 60_000, Timeout).GetAwaiter().GetResult().Answered;

    public void Dispose()
    {
        _connection.Dispose();
        if (!_server.HasExited)
        {
            _server.Kill();
        }
        _server.Dispose();
    }
}
