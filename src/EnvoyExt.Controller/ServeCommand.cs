using System.Runtime.InteropServices;
using EnvoyExt.ControlPlane.Admin;
using EnvoyExt.ControlPlane.XdsServer;
using Microsoft.Extensions.Logging;

namespace EnvoyExt.Controller;

/// <summary>
/// `serve`: watch the folder or the Kubernetes API, translate every change, serve xDS over ADS and the admin endpoint
/// until Ctrl+C / SIGTERM.
/// </summary>
internal static class ServeCommand
{
    public static readonly IReadOnlySet<string> Flags = new HashSet<string>(StringComparer.Ordinal)
    {
        "--config-dir", "--kubeconfig", "--namespace", "--xds-address", "--admin-address", "--xds-tls-cert", "--xds-tls-key",
    };

    public static async Task<int> RunAsync(CommandLine args)
    {
        var source = ProviderChoice.Parse(args);
        var xdsOptions = new XdsServerOptions
        {
            Address = EndpointParser.Parse(args.Get("--xds-address") ?? "127.0.0.1:18000", "--xds-address"),
            TlsCertFile = args.Get("--xds-tls-cert"),
            TlsKeyFile = args.Get("--xds-tls-key"),
        };
        var adminAddress = EndpointParser.Parse(args.Get("--admin-address") ?? "127.0.0.1:19000", "--admin-address");

        using var loggerFactory = LoggerFactory.Create(ConfigureLogging);
        var logger = loggerFactory.CreateLogger("envoyext-controller");

        var cache = new XdsSnapshotCache();
        var metrics = new XdsMetrics();
        var registry = new XdsStreamRegistry();
        var publisher = new XdsPublisher(cache, metrics, loggerFactory.CreateLogger<XdsPublisher>());

        using var stop = new CancellationTokenSource();
        // Ctrl+C and SIGTERM (Kubernetes, systemd) stop the watch loop and then the servers gracefully.
        // Declared after the token source so they are unregistered before it is disposed.
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }

        await using var xds = await XdsServerHost.StartAsync(xdsOptions, cache, metrics, registry, ConfigureLogging, stop.Token);
        await using var admin = await AdminServerHost.StartAsync(adminAddress, publisher, cache, metrics, registry, ConfigureLogging, stop.Token);
        logger.LogInformation("serving xDS (ADS) on {Xds}{Tls}, admin on {Admin}, {Source}",
            xds.Address, xdsOptions.TlsCertFile is null ? "" : " with TLS", admin.Address, source.Description);

        using var resources = source.Create(loggerFactory);
        var background = resources.RunBackgroundAsync(logger, stop.Token);
        try
        {
            await foreach (var snapshot in resources.Provider.WatchAsync(stop.Token))
            {
                foreach (var problem in snapshot.Resources.Problems)
                {
                    logger.LogWarning("config problem: {Problem}", problem);
                }
                if (ControllerPipeline.Run(snapshot.Resources, snapshot.Version, publisher) is { } result)
                {
                    resources.Status?.Offer(result.Status);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        await stop.CancelAsync();
        await background;
        logger.LogInformation("stopping");
        return 0;
    }

    /// <summary>One line per event with a timestamp; framework chatter only from warnings up.</summary>
    private static void ConfigureLogging(ILoggingBuilder builder) => builder
        .AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
        })
        .SetMinimumLevel(LogLevel.Information)
        .AddFilter("Microsoft", LogLevel.Warning)
        // Start-up failures (port in use, bad certificate) are printed once, briefly, by Program.
        .AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);
}
