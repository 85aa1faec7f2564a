using System.Buffers;
using System.Net;
using EnvoyExt.ControlPlane.Hosting;
using EnvoyExt.ControlPlane.Telemetry;
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
    private const int MaxConnections = 64;
    private const int MaxConcurrentDocuments = 2;
    private static readonly TimeSpan DocumentQueueWait = TimeSpan.FromSeconds(10);
    private readonly WebApplication _app;
    private readonly SnapshotDocument _snapshot;
    private readonly ControllerInstruments _instruments;

    private AdminServerHost(WebApplication app, SnapshotDocument snapshot, ControllerInstruments instruments, Uri address)
    {
        _app = app;
        _snapshot = snapshot;
        _instruments = instruments;
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
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxConcurrentConnections = MaxConnections;
            k.Listen(address);
        });
        builder.AddControllerTelemetry();
        var app = builder.Build();
        var instruments = new ControllerInstruments(metrics, cache);
        var snapshot = new SnapshotDocument(cache);
        // Documents that scale with the configuration are built by a few requests at a time; the rest wait briefly, then get 503.
        var heavy = new SemaphoreSlim(MaxConcurrentDocuments, MaxConcurrentDocuments);
        app.MapGet("/healthz", () => Results.Text("ok\n"));
        app.MapGet("/snapshot", (HttpContext context) => WithGateAsync(heavy, context, async () =>
        {
            var bytes = await snapshot.GetAsync(context.RequestAborted).ConfigureAwait(false);
            context.Response.ContentType = JsonType;
            await context.Response.Body.WriteAsync(bytes, context.RequestAborted).ConfigureAwait(false);
        }));
        app.MapGet("/status", (HttpContext context) => WithGateAsync(heavy, context, async () =>
        {
            // Built in memory (Kestrel refuses the synchronous writes a JSON writer makes) by at most
            // MaxConcurrentDocuments requests at a time, then sent.
            var buffer = new System.Buffers.ArrayBufferWriter<byte>();
            using (var writer = new System.Text.Json.Utf8JsonWriter(buffer, AdminDocuments.WriterOptions))
            {
                AdminDocuments.WriteStatus(writer, publisher, cache, registry);
            }
            buffer.Write("\n"u8);
            context.Response.ContentType = JsonType;
            await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
        }));
        app.MapControllerMetrics("/metrics");
        try
        {
            return new AdminServerHost(app, snapshot, instruments, await EmbeddedWebHost.StartAsync(app, ct).ConfigureAwait(false));
        }
        catch
        {
            instruments.Dispose();
            throw;
        }
    }

    private static async Task WithGateAsync(SemaphoreSlim gate, HttpContext context, Func<Task> write)
    {
        if (!await gate.WaitAsync(DocumentQueueWait, context.RequestAborted).ConfigureAwait(false))
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.RetryAfter = "1";
            return;
        }
        try
        {
            await write().ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _snapshot.Dispose();
        _instruments.Dispose();
    }
}
