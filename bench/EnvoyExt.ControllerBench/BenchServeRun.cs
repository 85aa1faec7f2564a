using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Envoy.Config.Core.V3;
using Envoy.Service.Discovery.V3;
using EnvoyExt.ControlPlane.Providers.Standalone;
using EnvoyExt.ControlPlane.XdsTranslation;
using Grpc.Net.Client;

namespace EnvoyExt.ControllerBench;

/// <summary>
/// Starts a real `serve` process on a synthetic folder and acts as its Envoy: times start-up to the
/// first route configuration, then file changes until the new route configuration arrives, and
/// reads the controller process's own peak memory (the client's memory is not in it).
/// </summary>
internal static class BenchServeRun
{
    /// <summary>The route configuration the synthetic Gateway's only listener gets.</summary>
    private const string RouteName = "default/gw/http";

    public static async Task<JsonObject> MeasureAsync(string controller, string folder, int repeat)
    {
        var xdsPort = FreePort();
        var start = BenchCommand.ControllerStartInfo(controller, "serve", "--config-dir", folder,
            "--xds-address", $"127.0.0.1:{xdsPort}", "--admin-address", $"127.0.0.1:{FreePort()}");
        start.RedirectStandardError = true;
        var started = Stopwatch.StartNew();
        using var serve = Process.Start(start) ?? throw new InvalidOperationException("could not start serve");
        // Logs are not part of the measurement, but an unread pipe would block the controller.
        serve.OutputDataReceived += (_, _) => { };
        serve.ErrorDataReceived += (_, _) => { };
        serve.BeginOutputReadLine();
        serve.BeginErrorReadLine();
        try
        {
            var result = new JsonObject();
            using var stop = new CancellationTokenSource();
            using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{xdsPort}", new GrpcChannelOptions { MaxReceiveMessageSize = 64 << 20 });
            var client = new AggregatedDiscoveryService.AggregatedDiscoveryServiceClient(channel);
            var response = await FirstResponseAsync(client, started, stop.Token);
            result["startToFirstRoutesMs"] = started.Elapsed.TotalMilliseconds;
            result["servePeakAtFirstRoutesBytes"] = BenchSizeRun.PeakWorkingSetBytes(serve.Id);
            var (call, first) = response;
            using (call)
            {
                var current = first;
                var samples = new List<double>();
                for (var i = 0; i < repeat; i++)
                {
                    await call.RequestStream.WriteAsync(new DiscoveryRequest { TypeUrl = current.TypeUrl, VersionInfo = current.VersionInfo, ResponseNonce = current.Nonce, ResourceNames = { RouteName } });
                    var stopwatch = Stopwatch.StartNew();
                    SyntheticConfig.WriteExtraRoute(folder, i);
                    current = await NextAsync(call.ResponseStream, stop.Token);
                    samples.Add(stopwatch.Elapsed.TotalMilliseconds);
                }

                result["changeToClientMs"] = new JsonArray(samples.Select(s => (JsonNode?)JsonValue.Create(s)).ToArray());
            }

            result["debounceMs"] = new StandaloneOptions { Folder = folder }.Debounce.TotalMilliseconds;
            result["servePeakWorkingSetBytes"] = BenchSizeRun.PeakWorkingSetBytes(serve.Id);
            // The controller may still be cleaning up after the push the client just received.
            await Task.Delay(TimeSpan.FromSeconds(1));
            result["serveWorkingSetBytes"] = BenchSizeRun.WorkingSetBytes(serve.Id);
            return result;
        }
        finally
        {
            serve.Kill();
            await serve.WaitForExitAsync();
            File.Delete(Path.Combine(folder, "30-extra.yaml"));
        }
    }

    /// <summary>Retries until the server listens, then waits for the first route configuration.</summary>
    private static async Task<(Grpc.Core.AsyncDuplexStreamingCall<DiscoveryRequest, DiscoveryResponse> Call, DiscoveryResponse First)> FirstResponseAsync(
        AggregatedDiscoveryService.AggregatedDiscoveryServiceClient client, Stopwatch started, CancellationToken ct)
    {
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
                });
                return (call, await NextAsync(call.ResponseStream, ct));
            }
            catch (Exception e) when (e is Grpc.Core.RpcException or IOException or HttpRequestException && started.Elapsed < TimeSpan.FromSeconds(60))
            {
                call.Dispose();
                await Task.Delay(20, ct);
            }
        }
    }

    private static async Task<DiscoveryResponse> NextAsync(Grpc.Core.IAsyncStreamReader<DiscoveryResponse> responses, CancellationToken ct)
    {
        using var guard = CancellationTokenSource.CreateLinkedTokenSource(ct);
        guard.CancelAfter(TimeSpan.FromSeconds(60));
        if (!await responses.MoveNext(guard.Token))
        {
            throw new InvalidOperationException("the ADS stream closed");
        }

        return responses.Current;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
