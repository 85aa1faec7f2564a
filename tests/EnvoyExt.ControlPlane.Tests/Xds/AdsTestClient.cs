using Envoy.Config.Core.V3;
using Envoy.Service.Discovery.V3;
using EnvoyExt.ControlPlane.XdsTranslation;
using Grpc.Core;
using Grpc.Net.Client;

namespace EnvoyExt.ControlPlane.Tests.Xds;

/// <summary>
/// A scripted ADS client over a real gRPC channel: sends requests like Envoy does and reads
/// responses in arrival order. The read guard only turns a hang into a failure; no test asserts timing.
/// </summary>
internal sealed class AdsTestClient : IAsyncDisposable
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(20);
    private readonly GrpcChannel _channel;
    private readonly AsyncDuplexStreamingCall<DiscoveryRequest, DiscoveryResponse> _call;
    private readonly Node _node;
    private bool _nodeSent;

    public AdsTestClient(Uri address, string cluster, string id = "envoy-0", HttpMessageHandler? handler = null)
    {
        _channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions { HttpHandler = handler });
        _call = new AggregatedDiscoveryService.AggregatedDiscoveryServiceClient(_channel).StreamAggregatedResources();
        _node = new Node { Id = id, Cluster = cluster };
    }

    /// <summary>Sends a request; the node goes only on the first one, as gRPC clients do.</summary>
    public Task SendAsync(string typeUrl, IEnumerable<string>? names = null, string version = "", string nonce = "", Google.Rpc.Status? error = null)
    {
        var request = new DiscoveryRequest { TypeUrl = typeUrl, VersionInfo = version, ResponseNonce = nonce };
        request.ResourceNames.AddRange(names ?? []);
        if (!_nodeSent)
        {
            request.Node = _node;
            _nodeSent = true;
        }
        if (error is not null)
        {
            request.ErrorDetail = error;
        }
        return _call.RequestStream.WriteAsync(request);
    }

    public Task SendRawAsync(DiscoveryRequest request) => _call.RequestStream.WriteAsync(request);

    public async Task<DiscoveryResponse> NextAsync()
    {
        using var guard = new CancellationTokenSource(HangGuard);
        if (!await _call.ResponseStream.MoveNext(guard.Token))
        {
            throw new InvalidOperationException("the server closed the stream");
        }
        return _call.ResponseStream.Current;
    }

    /// <summary>Reads the next response and checks its type.</summary>
    public async Task<DiscoveryResponse> ExpectAsync(string typeUrl)
    {
        var response = await NextAsync();
        Assert.True(typeUrl == response.TypeUrl, $"expected a {XdsTypeUrls.Label(typeUrl)} response, got {XdsTypeUrls.Label(response.TypeUrl)} (version {response.VersionInfo})");
        return response;
    }

    public Task AckAsync(DiscoveryResponse response, IEnumerable<string>? names = null) =>
        SendAsync(response.TypeUrl, names, response.VersionInfo, response.Nonce);

    public Task NackAsync(DiscoveryResponse response, string lastAcceptedVersion, string reason, IEnumerable<string>? names = null) =>
        SendAsync(response.TypeUrl, names, lastAcceptedVersion, response.Nonce, new Google.Rpc.Status { Code = 3, Message = reason });

    /// <summary>The whole initial exchange of an Envoy: CDS (wildcard), EDS (by name), LDS (wildcard), RDS (by name), each ACKed.</summary>
    public async Task<SyncResult> SyncAsync()
    {
        await SendAsync(XdsTypeUrls.Cluster);
        var cds = await ExpectAsync(XdsTypeUrls.Cluster);
        await AckAsync(cds);
        var clusterNames = cds.Resources.Select(a => a.Unpack<Envoy.Config.Cluster.V3.Cluster>().Name).ToList();
        await SendAsync(XdsTypeUrls.Endpoint, clusterNames);
        var eds = await ExpectAsync(XdsTypeUrls.Endpoint);
        await AckAsync(eds, clusterNames);
        await SendAsync(XdsTypeUrls.Listener);
        var lds = await ExpectAsync(XdsTypeUrls.Listener);
        await AckAsync(lds);
        var routeNames = lds.Resources.Select(a => a.Unpack<Envoy.Config.Listener.V3.Listener>().Name).ToList();
        await SendAsync(XdsTypeUrls.Route, routeNames);
        var rds = await ExpectAsync(XdsTypeUrls.Route);
        await AckAsync(rds, routeNames);
        return new SyncResult(cds, eds, lds, rds, clusterNames, routeNames);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _call.RequestStream.CompleteAsync();
        }
        catch (InvalidOperationException)
        {
            // Already completed or the call failed; disposal below still releases it.
        }
        catch (RpcException)
        {
        }
        _call.Dispose();
        _channel.Dispose();
    }

    public sealed record SyncResult(
        DiscoveryResponse Cds, DiscoveryResponse Eds, DiscoveryResponse Lds, DiscoveryResponse Rds,
        List<string> ClusterNames, List<string> RouteNames);
}
