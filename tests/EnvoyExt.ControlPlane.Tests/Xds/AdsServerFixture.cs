using System.Net;
using EnvoyExt.ControlPlane.Ir;
using EnvoyExt.ControlPlane.XdsServer;
using Microsoft.Extensions.Logging;

namespace EnvoyExt.ControlPlane.Tests.Xds;

/// <summary>A real ADS server on a free loopback port, with its cache, publisher and metrics.</summary>
internal sealed class AdsServerFixture : IAsyncDisposable
{
    private AdsServerFixture(XdsServerHost host, XdsSnapshotCache cache, XdsMetrics metrics, XdsStreamRegistry registry)
    {
        Host = host;
        Cache = cache;
        Metrics = metrics;
        Registry = registry;
        Publisher = new XdsPublisher(cache, metrics);
    }

    public XdsServerHost Host { get; }

    public XdsSnapshotCache Cache { get; }

    public XdsMetrics Metrics { get; }

    public XdsStreamRegistry Registry { get; }

    public XdsPublisher Publisher { get; }

    public static async Task<AdsServerFixture> StartAsync(IrSnapshot? initial = null, AdsStreamLimits? limits = null)
    {
        var cache = new XdsSnapshotCache();
        var metrics = new XdsMetrics();
        var registry = new XdsStreamRegistry();
        var host = await XdsServerHost.StartAsync(
            new XdsServerOptions { Address = new IPEndPoint(IPAddress.Loopback, 0), Stream = limits ?? new AdsStreamLimits() },
            cache, metrics, registry, logging => logging.SetMinimumLevel(LogLevel.Warning));
        var fixture = new AdsServerFixture(host, cache, metrics, registry);
        if (initial is not null)
        {
            fixture.Publisher.Publish(initial, null);
        }
        return fixture;
    }

    public AdsTestClient Connect(string cluster, string id = "envoy-0") => new(Host.Address, cluster, id);

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
