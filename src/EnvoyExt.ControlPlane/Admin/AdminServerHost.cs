using System.Net;
using EnvoyExt.ControlPlane.Hosting;
using EnvoyExt.ControlPlane.XdsServer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace EnvoyExt.ControlPlane.Admin;

/// <summary>
/// The operator's HTTP endpoint (loopback by default): /snapshot, /status, /healthz, /metrics.
/// Separate from the xDS port so it can be exposed (or not) independently.
/// </summary>
public sealed class AdminServerHost : IAsyncDisposable
{
    private const string JsonType = "application/json; charset=utf-8";
    private readonly WebApplication _app;

    private AdminServerHost(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<AdminServerHost> StartAsync(
        IPEndPoint address,
        XdsPublisher publisher,
        XdsSnapshotCache cache,
        XdsMetrics metrics,
        XdsStreamRegistry registry,
        Action<ILoggingBuilder>? configureLogging = null,
        CancellationToken ct = default)
    {
        var builder = EmbeddedWebHost.CreateBuilder(configureLogging);
        builder.WebHost.ConfigureKestrel(k => k.Listen(address));
        var app = builder.Build();
        app.MapGet("/healthz", () => Results.Text("ok\n"));
        app.MapGet("/snapshot", () => Results.Text(AdminDocuments.Indented(AdminDocuments.Snapshot(cache)), JsonType));
        app.MapGet("/status", () => Results.Text(AdminDocuments.Indented(AdminDocuments.Status(publisher, cache, registry)), JsonType));
        app.MapGet("/metrics", () => Results.Text(PrometheusText.Render(metrics, cache), PrometheusText.ContentType));
        return new AdminServerHost(app, await EmbeddedWebHost.StartAsync(app, ct).ConfigureAwait(false));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
