using System.Net;
using Envoy.Service.Discovery.V3;
using EnvoyExt.ControlPlane.Admin;
using EnvoyExt.ControlPlane.XdsServer;
using EnvoyExt.ControlPlane.XdsTranslation;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using static EnvoyExt.ControlPlane.Tests.Xds.IrBuilder;

namespace EnvoyExt.ControlPlane.Tests.Xds;

/// <summary>What a misbehaving client can make the server hold is bounded; beyond it the stream closes with a status naming the limit.</summary>
public sealed class AdsLimitsTests
{
    private static readonly Ir.IrSnapshot Small = SimpleGateway(
        [Route("httproute/default/app/rule/0/match/0", Match(Prefix("/")), Forward(("default/backend/8080", 1)))],
        [Cluster("default/backend/8080", ("10.0.0.1", 8080))]);

    /// <summary>A RouteConfiguration of about 1.3 MB: far more than HTTP/2 flow control lets through unread.</summary>
    internal static Ir.IrSnapshot Large(int routes = 5000) => SimpleGateway(
        Enumerable.Range(0, routes).Select(i => Route($"httproute/default/app/rule/{i}/match/0", Match(Prefix($"/{i}/{new string('p', 200)}")), Forward(("default/backend/8080", 1)))).ToArray(),
        [Cluster("default/backend/8080", ("10.0.0.1", 8080))]);

    private static async Task<RpcException> ClosedAsync(AdsTestClient client)
    {
        for (var i = 0; i < 100; i++)
        {
            try
            {
                await client.NextAsync();
            }
            catch (RpcException e)
            {
                return e;
            }
        }
        throw new InvalidOperationException("the stream stayed open");
    }

    [Fact]
    public async Task TooManyResourceNamesCloseTheStreamNamingTheField()
    {
        await using var server = await AdsServerFixture.StartAsync(Small, new AdsStreamLimits { MaxResourceNames = 100 });
        await using var client = server.Connect("default/gw");

        await client.SendAsync(XdsTypeUrls.Endpoint, Enumerable.Range(0, 101).Select(i => $"cluster-{i}"));
        var closed = await ClosedAsync(client);

        Assert.Equal(StatusCode.InvalidArgument, closed.StatusCode);
        Assert.Equal("resource_names: at most 100 names per request (got 101)", closed.Status.Detail);
        await Eventually.True(() => server.Metrics.ConnectedStreams == 0 && server.Metrics.StreamsAborted == 1, "the stream to be closed");
    }

    [Fact]
    public async Task ResourceNameBytesAreCapped()
    {
        await using var server = await AdsServerFixture.StartAsync(Small, new AdsStreamLimits { MaxResourceNameBytes = 1000 });
        await using var client = server.Connect("default/gw");

        await client.SendAsync(XdsTypeUrls.Route, [new string('a', 600), new string('b', 600)]);

        var closed = await ClosedAsync(client);
        Assert.Equal(StatusCode.InvalidArgument, closed.StatusCode);
        Assert.Equal("resource_names: at most 1000 bytes of names per request (got 1200)", closed.Status.Detail);
    }

    [Fact]
    public async Task OversizedNodeIdIsRefused()
    {
        await using var server = await AdsServerFixture.StartAsync(Small, new AdsStreamLimits { MaxNodeFieldBytes = 64 });
        await using var client = server.Connect("default/gw", new string('n', 65));

        await client.SendAsync(XdsTypeUrls.Cluster);

        var closed = await ClosedAsync(client);
        Assert.Equal(StatusCode.InvalidArgument, closed.StatusCode);
        Assert.Equal("node.id: at most 64 bytes (got 65)", closed.Status.Detail);
        Assert.Empty(server.Registry.Streams);
    }

    [Fact]
    public async Task AClientThatFloodsRequestsWithoutReadingIsClosedOnceItsQueueIsFull()
    {
        await using var server = await AdsServerFixture.StartAsync(Large(), new AdsStreamLimits { MaxQueuedRequests = 8 });
        await using var client = server.Connect("default/gw");
        await client.SendAsync(XdsTypeUrls.Listener);
        await client.SendAsync(XdsTypeUrls.Route, ["default/gw/http"]);

        // The RouteConfiguration cannot be written while nobody reads: requests pile up behind it.
        for (var i = 0; i < 40 && server.Metrics.StreamsAborted == 0; i++)
        {
            await client.SendRawAsync(new DiscoveryRequest { TypeUrl = XdsTypeUrls.Route, ResourceNames = { "default/gw/http" }, ResponseNonce = "stale" });
            await Task.Delay(20);
        }

        await Eventually.True(() => server.Metrics.StreamsAborted == 1 && server.Metrics.ConnectedStreams == 0, "the flooding stream to be closed");
        await ClosedAsync(client);
    }

    [Fact]
    public async Task AClientThatStopsReadingIsClosedAfterTheWriteTimeout()
    {
        await using var server = await AdsServerFixture.StartAsync(Large(), new AdsStreamLimits { WriteTimeout = TimeSpan.FromMilliseconds(500) });
        await using var client = server.Connect("default/gw");

        await client.SendAsync(XdsTypeUrls.Listener);
        await client.SendAsync(XdsTypeUrls.Route, ["default/gw/http"]);

        await Eventually.True(() => server.Metrics.StreamsAborted == 1 && server.Metrics.ConnectedStreams == 0,
            $"the stalled stream to be closed (aborted {server.Metrics.StreamsAborted}, open {server.Metrics.ConnectedStreams}, responses {string.Join(",", server.Metrics.Responses)})");
    }

    [Fact]
    public void ASnapshotThatNeedsAResponseAboveTheMessageLimitIsNotPublished()
    {
        var cache = new XdsSnapshotCache();
        var publisher = new XdsPublisher(cache, new XdsMetrics(), NullLogger.Instance, maxResponseBytes: 200_000);

        publisher.Publish(Small, null);
        Assert.NotNull(cache.Get("default/gw"));
        var smallVersion = cache.Get("default/gw")!.Version(XdsTypeUrls.Route);

        publisher.Publish(Large(), null);

        Assert.Equal(smallVersion, cache.Get("default/gw")!.Version(XdsTypeUrls.Route));
        Assert.Contains("routes response would be", publisher.LatestError, StringComparison.Ordinal);
        Assert.Contains("above the 200000-byte gRPC message limit", publisher.LatestError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ParallelSnapshotDumpsShareOneEncoding()
    {
        var cache = new XdsSnapshotCache();
        var publisher = new XdsPublisher(cache, new XdsMetrics());
        publisher.Publish(Small, null);
        using var document = new SnapshotDocument(cache);

        var dumps = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => document.GetAsync(CancellationToken.None))));

        Assert.All(dumps, d => Assert.Same(dumps[0], d));
        publisher.Publish(Large(10), null);
        var after = await document.GetAsync(CancellationToken.None);
        Assert.NotSame(dumps[0], after);
        Assert.Contains("/9/", System.Text.Encoding.UTF8.GetString(after), StringComparison.Ordinal);
    }

    [Fact]
    public void LogLinesOfOneKindAreRateLimited()
    {
        var limiter = new LogLimiter();
        var lines = 0;

        for (var i = 0; i < 100; i++)
        {
            limiter.Log("nack", _ => lines++);
        }

        Assert.Equal(LogLimiter.LinesPerWindow, lines);
        Assert.Equal(100 - LogLimiter.LinesPerWindow, limiter.Suppressed);
        var other = 0;
        limiter.Log("stream", _ => other++);
        Assert.Equal(1, other);
    }

    [Fact]
    public async Task AnAbruptDisconnectIsOneLineWithoutAStack()
    {
        var logs = new ListLogger();
        var cache = new XdsSnapshotCache();
        var metrics = new XdsMetrics();
        await using var host = await XdsServerHost.StartAsync(
            new XdsServerOptions { Address = new IPEndPoint(IPAddress.Loopback, 0) }, cache, metrics, new XdsStreamRegistry(),
            logging => logging.AddProvider(logs).SetMinimumLevel(LogLevel.Information));
        new XdsPublisher(cache, metrics).Publish(Small, null);
        var client = new AdsTestClient(host.Address, "default/gw");
        await client.SendAsync(XdsTypeUrls.Cluster);
        await client.ExpectAsync(XdsTypeUrls.Cluster);

        await client.DisposeAsync();
        await Eventually.True(() => metrics.ConnectedStreams == 0, "the stream to close");
        // The count drops as the stream ends; its log line is written just after, on the same path.
        await Eventually.True(() => logs.Lines.Any(l => l.Contains("stream closed", StringComparison.Ordinal)), "the stream's closing line");

        var closed = Assert.Single(logs.Lines, l => l.Contains("stream closed", StringComparison.Ordinal));
        Assert.DoesNotContain('\n', closed);
        Assert.DoesNotContain(logs.Lines, l => l.Contains("   at ", StringComparison.Ordinal) || l.StartsWith("Error", StringComparison.Ordinal));
    }

    private sealed class ListLogger : ILoggerProvider, ILogger
    {
        private readonly List<string> _lines = [];

        public IReadOnlyList<string> Lines
        {
            get
            {
                lock (_lines)
                {
                    return [.. _lines];
                }
            }
        }

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_lines)
            {
                _lines.Add($"{logLevel}: {formatter(state, exception)}{(exception is null ? "" : "\n" + exception)}");
            }
        }

        public void Dispose()
        {
        }
    }
}
