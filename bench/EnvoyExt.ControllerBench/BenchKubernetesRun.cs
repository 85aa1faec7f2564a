using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Envoy.Config.Core.V3;
using Envoy.Config.Route.V3;
using Envoy.Service.Discovery.V3;
using EnvoyExt.ControlPlane.Resources.Yaml;
using EnvoyExt.ControlPlane.Tests.Kubernetes.ApiServer;
using EnvoyExt.ControlPlane.XdsTranslation;
using Grpc.Core;
using Grpc.Net.Client;

namespace EnvoyExt.ControllerBench;

/// <summary>
/// `--kubernetes`: the shipped controller's `serve --kubeconfig` against the in-process API server
/// double (the one the tests check with kubectl), this bench being its only ADS client. Per size N:
/// the Gateway and backends are there before `serve` starts; then N HTTPRoutes (and a rule-level
/// RateLimitPolicy on every other one) are created at once, timed from the first create to the
/// RouteConfiguration carrying the last route; then one route is changed `--repeat` times, each
/// timed to the RouteConfiguration carrying the change. Translations are the controller's own
/// envoyext_translations_total, scraped from its /metrics; memory is the `serve` process's VmHWM / VmRSS.
/// </summary>
internal static class BenchKubernetesRun
{
    private const string RouteName = "default/gw/http";

    /// <summary>How long the controller must stay without a translation to count as settled (above the provider's 1 s MaxDelay).</summary>
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(3);

    public static async Task<JsonObject> MeasureAsync(string controller, int routes, int repeat)
    {
        await using var server = await FakeApiServer.StartAsync();
        using var kubeconfig = new KubeconfigFile(server.Address);
        server.CreateFromYaml(File.ReadAllText(Path.Combine(RepoRoot(), "deploy", "crds", "gateway.envoyext.io_ratelimitpolicies.yaml")));
        server.CreateFromYaml(SyntheticConfig.GatewayYaml);
        server.CreateFromYaml(SyntheticConfig.ServicesYaml(routes));
        // Parsed before the clock starts; policies first, so the last route created is the last event.
        var burst = Parse(SyntheticConfig.RoutesYaml(routes)).OrderBy(o => (string?)o["kind"] == "HTTPRoute").ToList();

        var xdsPort = FreePort();
        var adminPort = FreePort();
        var start = BenchCommand.ControllerStartInfo(controller, "serve", "--kubeconfig", kubeconfig.Path,
            "--xds-address", $"127.0.0.1:{xdsPort}", "--admin-address", $"127.0.0.1:{adminPort}");
        start.RedirectStandardError = true;
        start.Environment["POD_NAMESPACE"] = "default";
        start.Environment["POD_NAME"] = "bench";
        using var serve = Process.Start(start) ?? throw new InvalidOperationException("could not start serve");
        serve.OutputDataReceived += (_, _) => { };
        serve.ErrorDataReceived += (_, _) => { };
        serve.BeginOutputReadLine();
        serve.BeginErrorReadLine();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{adminPort}") };
        try
        {
            var result = new JsonObject { ["routes"] = routes };
            using var stop = new CancellationTokenSource();
            using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{xdsPort}", new GrpcChannelOptions { MaxReceiveMessageSize = 64 << 20 });
            var client = new AggregatedDiscoveryService.AggregatedDiscoveryServiceClient(channel);
            using var call = await OpenAsync(client, stop.Token);
            var first = await NextAsync(call.ResponseStream, stop.Token);
            await SettledTranslationsAsync(http);

            // The burst.
            var before = await TranslationsAsync(http);
            var last = "/r" + (routes - 1).ToString(CultureInfo.InvariantCulture);
            await AckAsync(call, first);
            var stopwatch = Stopwatch.StartNew();
            var routeType = server.Type("HTTPRoute");
            var policyType = server.Type("RateLimitPolicy");
            foreach (var obj in burst)
            {
                server.Store.Create((string?)obj["kind"] == "HTTPRoute" ? routeType : policyType, "default", obj);
            }

            var created = stopwatch.Elapsed;
            await UntilAsync(call, config => HasPrefix(config, last), stop.Token);
            result["burstCreateMs"] = created.TotalMilliseconds;
            result["burstToClientMs"] = stopwatch.Elapsed.TotalMilliseconds;
            result["burstTranslationsToPush"] = await TranslationsAsync(http) - before;
            result["servePeakAtBurstBytes"] = BenchSizeRun.PeakWorkingSetBytes(serve.Id);
            result["burstTranslationsSettled"] = await SettledTranslationsAsync(http) - before;
            result["statusWrites"] = server.Requests("PUT HTTPRoute/status") + server.Requests("PUT RateLimitPolicy/status");

            // One route changed, repeatedly.
            var samples = new List<double>();
            var perChange = new List<double>();
            for (var i = 0; i < repeat; i++)
            {
                before = await TranslationsAsync(http);
                var path = "/changed" + i.ToString(CultureInfo.InvariantCulture);
                stopwatch.Restart();
                server.Store.Update(routeType, "default", "route-0", statusOnly: false, obj =>
                {
                    obj["spec"]!["rules"]![0]!["matches"]![0]!["path"]!["value"] = path;
                    return obj;
                });
                await UntilAsync(call, config => HasPrefix(config, path), stop.Token);
                samples.Add(stopwatch.Elapsed.TotalMilliseconds);
                perChange.Add(await SettledTranslationsAsync(http) - before);
            }

            result["changeToClientMs"] = new JsonArray([.. samples.Select(s => (JsonNode?)JsonValue.Create(s))]);
            result["changeTranslations"] = new JsonArray([.. perChange.Select(s => (JsonNode?)JsonValue.Create(s))]);
            result["servePeakWorkingSetBytes"] = BenchSizeRun.PeakWorkingSetBytes(serve.Id);
            result["serveWorkingSetBytes"] = BenchSizeRun.WorkingSetBytes(serve.Id);
            await stop.CancelAsync();
            return result;
        }
        finally
        {
            serve.Kill();
            await serve.WaitForExitAsync();
        }
    }

    private static List<JsonObject> Parse(string yaml) =>
        [.. YamlTreeBuilder.Documents(yaml, 0, new StrongBox<int>(0))
            .Select(root => root is null ? null : YamlToJson.Convert(root) as JsonObject)
            .OfType<JsonObject>()];

    private static bool HasPrefix(RouteConfiguration config, string prefix) =>
        config.VirtualHosts.Any(vh => vh.Routes.Any(r => r.Match is { } m && (m.PathSeparatedPrefix == prefix || m.Prefix == prefix)));

    /// <summary>Opens the ADS stream (retrying until `serve` listens) and asks for the Gateway's route configuration.</summary>
    private static async Task<AsyncDuplexStreamingCall<DiscoveryRequest, DiscoveryResponse>> OpenAsync(
        AggregatedDiscoveryService.AggregatedDiscoveryServiceClient client, CancellationToken ct)
    {
        var started = Stopwatch.StartNew();
        while (true)
        {
            var call = client.StreamAggregatedResources(cancellationToken: ct);
            try
            {
                await call.RequestStream.WriteAsync(new DiscoveryRequest
                {
                    Node = new Node { Id = "bench", Cluster = "default/gw" },
                    TypeUrl = XdsTypeUrls.Route,
                    ResourceNames = { RouteName },
                }, ct);
                return call;
            }
            catch (Exception e) when (e is RpcException or IOException or HttpRequestException && started.Elapsed < TimeSpan.FromSeconds(60))
            {
                call.Dispose();
                await Task.Delay(20, ct);
            }
        }
    }

    private static Task AckAsync(AsyncDuplexStreamingCall<DiscoveryRequest, DiscoveryResponse> call, DiscoveryResponse response) =>
        call.RequestStream.WriteAsync(new DiscoveryRequest { TypeUrl = response.TypeUrl, VersionInfo = response.VersionInfo, ResponseNonce = response.Nonce, ResourceNames = { RouteName } });

    /// <summary>ACKs each response until one's route configuration satisfies <paramref name="done"/>.</summary>
    private static async Task<DiscoveryResponse> UntilAsync(AsyncDuplexStreamingCall<DiscoveryRequest, DiscoveryResponse> call,
        Func<RouteConfiguration, bool> done, CancellationToken ct)
    {
        while (true)
        {
            var next = await NextAsync(call.ResponseStream, ct);
            await AckAsync(call, next);
            if (next.Resources.Select(r => r.Unpack<RouteConfiguration>()).Any(done))
            {
                return next;
            }
        }
    }

    private static async Task<DiscoveryResponse> NextAsync(IAsyncStreamReader<DiscoveryResponse> responses, CancellationToken ct)
    {
        using var guard = CancellationTokenSource.CreateLinkedTokenSource(ct);
        guard.CancelAfter(TimeSpan.FromSeconds(120));
        if (!await responses.MoveNext(guard.Token))
        {
            throw new InvalidOperationException("the ADS stream closed");
        }

        return responses.Current;
    }

    /// <summary>envoyext_translations_total from the controller's Prometheus scrape.</summary>
    private static async Task<double> TranslationsAsync(HttpClient http)
    {
        var text = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith("envoyext_translations_total", StringComparison.Ordinal))
            {
                return double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException("the controller's /metrics has no envoyext_translations_total");
    }

    /// <summary>Waits until no translation happened for <see cref="Settle"/> (status writes echo back as events), at most 60 s; returns the count.</summary>
    private static async Task<double> SettledTranslationsAsync(HttpClient http)
    {
        var deadline = Stopwatch.StartNew();
        var seen = await TranslationsAsync(http);
        var quiet = Stopwatch.StartNew();
        while (quiet.Elapsed < Settle && deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(250);
            var now = await TranslationsAsync(http);
            if (now != seen)
            {
                seen = now;
                quiet.Restart();
            }
        }

        return seen;
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EnvoyExt.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("cannot find the repository (EnvoyExt.sln) above " + AppContext.BaseDirectory);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
