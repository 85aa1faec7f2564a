using System.Diagnostics;
using System.Globalization;
using System.Net;
using Envoy.Config.Core.V3;
using Envoy.Service.Discovery.V3;
using EnvoyExt.ControlPlane.GatewayApi;
using EnvoyExt.ControlPlane.Providers.Standalone;
using EnvoyExt.ControlPlane.XdsServer;
using EnvoyExt.ControlPlane.XdsTranslation;
using Grpc.Net.Client;

namespace EnvoyExt.Controller;

/// <summary>
/// `bench [--routes 100,1000,10000] [--repeat 5]`: translation time and memory for synthetic
/// Gateways of N HTTPRoutes with policies, then the time from a file change to the new route
/// configuration arriving at a connected ADS client. Prints a markdown table.
/// </summary>
internal static class BenchCommand
{
    public static readonly IReadOnlySet<string> Flags = new HashSet<string>(StringComparer.Ordinal) { "--routes", "--repeat" };

    public static async Task<int> RunAsync(CommandLine args)
    {
        var sizes = ParseList(args.Get("--routes") ?? "100,1000,10000", "--routes");
        var repeat = ParseList(args.Get("--repeat") ?? "5", "--repeat").Single();
        var root = Directory.CreateTempSubdirectory("envoyext-bench-").FullName;
        try
        {
            Console.WriteLine($"translation, median of {repeat} after one warm-up run (synthetic: 1 Gateway, N HTTPRoutes, a policy on every other route plus a Gateway-wide default)");
            Console.WriteLine();
            Console.WriteLine("| HTTPRoutes | read YAML | Gateway API -> IR | IR -> xDS | allocated per translation | managed heap after | process working set |");
            Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- |");
            foreach (var routes in sizes)
            {
                Console.WriteLine(MeasureTranslation(Path.Combine(root, $"routes-{routes}"), routes, repeat));
            }
            Console.WriteLine();
            Console.WriteLine(await MeasurePropagationAsync(Path.Combine(root, "propagation"), repeat));
            return 0;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static string MeasureTranslation(string folder, int routes, int repeat)
    {
        SyntheticConfig.Write(folder, routes);
        var read = Stopwatch.StartNew();
        var resources = StandaloneProvider.ReadFolder(folder);
        read.Stop();
        if (resources.Problems.Count > 0)
        {
            throw new InvalidOperationException("synthetic config has problems: " + resources.Problems[0]);
        }
        var gatewayApi = new List<double>();
        var xds = new List<double>();
        long allocated = 0;
        for (var i = 0; i <= repeat; i++)
        {
            GC.Collect();
            var before = GC.GetAllocatedBytesForCurrentThread();
            var stopwatch = Stopwatch.StartNew();
            var result = GatewayApiTranslator.Translate(resources);
            var gatewayApiMs = stopwatch.Elapsed.TotalMilliseconds;
            stopwatch.Restart();
            XdsTranslator.Translate(result.Ir);
            var xdsMs = stopwatch.Elapsed.TotalMilliseconds;
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            if (i > 0)
            {
                gatewayApi.Add(gatewayApiMs);
                xds.Add(xdsMs);
            }
        }
        var heap = GC.GetTotalMemory(forceFullCollection: true);
        return string.Create(CultureInfo.InvariantCulture,
            $"| {routes:N0} | {read.Elapsed.TotalMilliseconds:F0} ms | {Median(gatewayApi):F1} ms | {Median(xds):F1} ms | {allocated / 1048576.0:F1} MiB | {heap / 1048576.0:F0} MiB | {Environment.WorkingSet / 1048576.0:F0} MiB |");
    }

    /// <summary>File write -> provider (debounced) -> translation -> ADS push -> client, 100 routes.</summary>
    private static async Task<string> MeasurePropagationAsync(string folder, int repeat)
    {
        SyntheticConfig.Write(folder, 100);
        var cache = new XdsSnapshotCache();
        var publisher = new XdsPublisher(cache, new XdsMetrics());
        await using var server = await XdsServerHost.StartAsync(
            new XdsServerOptions { Address = new IPEndPoint(IPAddress.Loopback, 0) }, cache, new XdsMetrics(), new XdsStreamRegistry(), _ => { });
        using var stop = new CancellationTokenSource();
        var options = new StandaloneOptions { Folder = folder };
        var watch = Task.Run(async () =>
        {
            await foreach (var snapshot in new StandaloneProvider(options).WatchAsync(stop.Token))
            {
                ControllerPipeline.Run(snapshot.Resources, snapshot.Version, publisher);
            }
        });

        using var channel = GrpcChannel.ForAddress(server.Address);
        using var call = new AggregatedDiscoveryService.AggregatedDiscoveryServiceClient(channel).StreamAggregatedResources(cancellationToken: stop.Token);
        const string RouteName = "default/gw/http";
        await call.RequestStream.WriteAsync(new DiscoveryRequest
        {
            Node = new Node { Id = "bench", Cluster = "default/gw" },
            TypeUrl = XdsTypeUrls.Route,
            ResourceNames = { RouteName },
        });
        var samples = new List<double>();
        var response = await NextAsync(call.ResponseStream, stop.Token);
        for (var i = 0; i < repeat; i++)
        {
            await call.RequestStream.WriteAsync(new DiscoveryRequest { TypeUrl = response.TypeUrl, VersionInfo = response.VersionInfo, ResponseNonce = response.Nonce, ResourceNames = { RouteName } });
            var stopwatch = Stopwatch.StartNew();
            SyntheticConfig.WriteExtraRoute(folder, i);
            response = await NextAsync(call.ResponseStream, stop.Token);
            samples.Add(stopwatch.Elapsed.TotalMilliseconds);
        }
        await stop.CancelAsync();
        try
        {
            await watch;
        }
        catch (OperationCanceledException)
        {
        }
        return string.Create(CultureInfo.InvariantCulture,
            $"file change -> new RouteConfiguration at a connected ADS client (100 routes, provider debounce {options.Debounce.TotalMilliseconds:F0} ms): median {Median(samples):F0} ms, min {samples.Min():F0} ms, max {samples.Max():F0} ms over {repeat} changes");
    }

    private static async Task<DiscoveryResponse> NextAsync(Grpc.Core.IAsyncStreamReader<DiscoveryResponse> responses, CancellationToken ct)
    {
        using var guard = CancellationTokenSource.CreateLinkedTokenSource(ct);
        guard.CancelAfter(TimeSpan.FromSeconds(30));
        if (!await responses.MoveNext(guard.Token))
        {
            throw new InvalidOperationException("the ADS stream closed");
        }
        return responses.Current;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    private static List<int> ParseList(string value, string flag)
    {
        var result = new List<int>();
        foreach (var part in value.Split(','))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1)
            {
                throw new UsageException($"{flag}: expected positive integers separated by commas, got \"{value}\"");
            }
            result.Add(n);
        }
        return result;
    }
}
