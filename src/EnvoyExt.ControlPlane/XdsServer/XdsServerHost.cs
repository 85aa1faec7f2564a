using System.Security.Cryptography.X509Certificates;
using EnvoyExt.ControlPlane.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EnvoyExt.ControlPlane.XdsServer;

/// <summary>
/// Kestrel hosting the ADS gRPC service on its own port (HTTP/2 only: cleartext h2c with prior
/// knowledge, as Envoy and gRPC clients speak it, or TLS when a certificate is configured).
/// </summary>
public sealed class XdsServerHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private XdsServerHost(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>The bound address (the real port when 0 was requested).</summary>
    public Uri Address { get; }

    public static async Task<XdsServerHost> StartAsync(
        XdsServerOptions options,
        XdsSnapshotCache cache,
        XdsMetrics metrics,
        XdsStreamRegistry registry,
        Action<ILoggingBuilder>? configureLogging = null,
        CancellationToken ct = default)
    {
        var builder = EmbeddedWebHost.CreateBuilder(configureLogging);
        // gRPC logs a client's disconnect mid-read with its stack at Information; the stream loop
        // already reports every closed stream in one line, so only its warnings and errors pass.
        builder.Logging.AddFilter("Grpc.AspNetCore.Server", LogLevel.Warning);
        var certificate = LoadCertificate(options);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.Limits.MaxConcurrentConnections = options.MaxConnections;
            kestrel.Limits.MaxConcurrentUpgradedConnections = options.MaxConnections;
            kestrel.Limits.Http2.MaxStreamsPerConnection = options.MaxStreamsPerConnection;
            kestrel.Listen(options.Address, listen =>
            {
                listen.Protocols = HttpProtocols.Http2;
                if (certificate is not null)
                {
                    listen.UseHttps(certificate);
                }
            });
        });
        builder.Services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = options.MaxReceiveMessageBytes;
            // The publisher refuses snapshots that would need more (XdsLimits), so this never cuts a valid answer.
            grpc.MaxSendMessageSize = XdsLimits.MaxResponseBytes;
        });
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<LogLimiter>();
        builder.Services.AddSingleton(cache);
        builder.Services.AddSingleton(metrics);
        builder.Services.AddSingleton(registry);
        var app = builder.Build();
        app.MapGrpcService<AdsGrpcService>();
        return new XdsServerHost(app, await EmbeddedWebHost.StartAsync(app, ct).ConfigureAwait(false));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private static X509Certificate2? LoadCertificate(XdsServerOptions options)
    {
        if (options.TlsCertFile is null && options.TlsKeyFile is null)
        {
            return null;
        }
        if (options.TlsCertFile is null || options.TlsKeyFile is null)
        {
            throw new ArgumentException("--xds-tls-cert and --xds-tls-key: give both or neither");
        }
        foreach (var (file, flag) in new[] { (options.TlsCertFile, "--xds-tls-cert"), (options.TlsKeyFile, "--xds-tls-key") })
        {
            if (!File.Exists(file))
            {
                throw new ArgumentException($"{flag}: file not found: {file}");
            }
        }
        return X509Certificate2.CreateFromPemFile(options.TlsCertFile, options.TlsKeyFile);
    }
}
