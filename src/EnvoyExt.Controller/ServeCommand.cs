using System.Runtime.InteropServices;
using EnvoyExt.ControlPlane.Admin;
using EnvoyExt.ControlPlane.Providers;
using EnvoyExt.ControlPlane.Providers.Kubernetes;
using EnvoyExt.ControlPlane.Telemetry;
using EnvoyExt.ControlPlane.XdsServer;
using Microsoft.Extensions.Logging;

namespace EnvoyExt.Controller;

/// <summary>
/// `serve`: watch the folder or the Kubernetes API, translate every change, serve xDS over ADS and the admin endpoint
/// until Ctrl+C / SIGTERM.
/// </summary>
internal static partial class ServeCommand
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

        using var loggerFactory = LoggerFactory.Create(b => ConfigureLogging(b).AddOtlpWhenConfigured());
        var logger = loggerFactory.CreateLogger("envoyext-controller");

        var cache = new XdsSnapshotCache();
        var metrics = new XdsMetrics();
        var registry = new XdsStreamRegistry();
        var publisher = new XdsPublisher(cache, metrics, loggerFactory.CreateLogger<XdsPublisher>());

        using var stop = new CancellationTokenSource();
        // Ctrl+C and SIGTERM (Kubernetes, systemd) stop the watch loop and then the servers gracefully;
        // a second signal, or a shutdown that outlives ShutdownDeadline, ends the process at once.
        // Declared after the token source so they are unregistered before it is disposed.
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        void Stop(PosixSignalContext context)
        {
            if (stop.IsCancellationRequested)
            {
                return; // the second signal: let the runtime terminate the process
            }
            context.Cancel = true;
            stop.Cancel();
            _ = Task.Delay(ShutdownDeadline).ContinueWith(_ => Environment.Exit(0), TaskScheduler.Default);
        }

        await using var xds = await XdsServerHost.StartAsync(xdsOptions, cache, metrics, registry, b => ConfigureLogging(b), stop.Token);
        await using var admin = await AdminServerHost.StartAsync(adminAddress, publisher, cache, metrics, registry, b => ConfigureLogging(b), stop.Token);
        var tls = xdsOptions.TlsCertFile is null ? "" : " with TLS";
        LogServing(logger, xds.Address, tls, admin.Address, source.Description);

        using var resources = source.Create(loggerFactory);
        var background = resources.RunBackgroundAsync(logger, stop.Token);
        var watch = Task.Run(() => WatchAsync(resources, publisher, logger, stop.Token));
        // The provider may be inside a long read or translation when the signal comes: shutdown
        // waits for it only briefly, then stops the servers regardless.
        await Task.WhenAny(watch, Task.Delay(Timeout.Infinite, stop.Token).ContinueWith(_ => { }, TaskScheduler.Default));
        if (stop.IsCancellationRequested)
        {
            await Task.WhenAny(watch, Task.Delay(WatchStopGrace));
        }
        else
        {
            await watch; // the watch ended without a signal: surface its failure
        }
        await stop.CancelAsync();
        await Task.WhenAny(background, Task.Delay(WatchStopGrace));
        LogStopping(logger);
        return 0;
    }

    private static readonly TimeSpan WatchStopGrace = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ShutdownDeadline = TimeSpan.FromSeconds(10);

    private static async Task WatchAsync(ResourceSource resources, XdsPublisher publisher, ILogger logger, CancellationToken stop)
    {
        var reported = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            await foreach (var snapshot in resources.Provider.WatchAsync(stop))
            {
                LogNewProblems(snapshot.Resources.Problems, reported, logger);
                if (ControllerPipeline.Run(snapshot.Resources, snapshot.Version, publisher) is { } result)
                {
                    resources.Status?.Offer(result.Status, GatewayAddresses.From(snapshot.Resources.Services));
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// A problem is logged when it appears, not on every later snapshot while it persists (a
    /// folder with many bad files would otherwise repeat them all on each change); /status lists them all.
    /// </summary>
    private static void LogNewProblems(IReadOnlyList<string> problems, HashSet<string> reported, ILogger logger)
    {
        const int MaxLoggedPerSnapshot = 20;
        var current = new HashSet<string>(problems, StringComparer.Ordinal);
        var fresh = problems.Where(p => !reported.Contains(p)).ToList();
        foreach (var problem in fresh.Take(MaxLoggedPerSnapshot))
        {
            LogConfigProblem(logger, problem);
        }
        if (fresh.Count > MaxLoggedPerSnapshot)
        {
            LogMoreConfigProblems(logger, fresh.Count - MaxLoggedPerSnapshot);
        }
        reported.Clear();
        reported.UnionWith(current);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "serving xDS (ADS) on {Xds}{Tls}, admin on {Admin}, {Source}")]
    private static partial void LogServing(ILogger logger, Uri xds, string tls, Uri admin, string source);

    [LoggerMessage(Level = LogLevel.Information, Message = "stopping")]
    private static partial void LogStopping(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "config problem: {Problem}")]
    private static partial void LogConfigProblem(ILogger logger, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} more config problems (see /status)")]
    private static partial void LogMoreConfigProblems(ILogger logger, int count);

    /// <summary>One line per event with a timestamp; framework chatter only from warnings up.</summary>
    private static ILoggingBuilder ConfigureLogging(ILoggingBuilder builder) => builder
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
