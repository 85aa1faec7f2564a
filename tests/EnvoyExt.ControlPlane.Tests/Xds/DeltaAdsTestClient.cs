using Envoy.Config.Core.V3;
using Envoy.Service.Discovery.V3;
using EnvoyExt.ControlPlane.XdsTranslation;
using Grpc.Core;
using Grpc.Net.Client;

namespace EnvoyExt.ControlPlane.Tests.Xds;

/// <summary>A scripted incremental (Delta) ADS client over a real gRPC channel.</summary>
internal sealed class DeltaAdsTestClient : IAsyncDisposable
{
    private readonly GrpcChannel _channel;
    private readonly AsyncDuplexStreamingCall<DeltaDiscoveryRequest, DeltaDiscoveryResponse> _call;
    private readonly Node _node;
    private bool _nodeSent;

    public DeltaAdsTestClient(Uri address, string cluster, string id = "envoy-delta")
    {
        _channel = GrpcChannel.ForAddress(address);
        _call = new AggregatedDiscoveryService.AggregatedDiscoveryServiceClient(_channel).DeltaAggregatedResources();
        _node = new Node { Id = id, Cluster = cluster };
    }

    public Task SendAsync(
        string typeUrl,
        IEnumerable<string>? subscribe = null,
        IEnumerable<string>? unsubscribe = null,
        string nonce = "",
        Google.Rpc.Status? error = null,
        IDictionary<string, string>? initialVersions = null)
    {
        var request = new DeltaDiscoveryRequest { TypeUrl = typeUrl, ResponseNonce = nonce, ErrorDetail = error };
        request.ResourceNamesSubscribe.AddRange(subscribe ?? []);
        request.ResourceNamesUnsubscribe.AddRange(unsubscribe ?? []);
        if (initialVersions is not null)
        {
            request.InitialResourceVersions.Add(initialVersions);
        }
        if (!_nodeSent)
        {
            request.Node = _node;
            _nodeSent = true;
        }
        return _call.RequestStream.WriteAsync(request);
    }

    public Task AckAsync(DeltaDiscoveryResponse response) => SendAsync(response.TypeUrl, nonce: response.Nonce);

    public async Task<DeltaDiscoveryResponse> ExpectAsync(string typeUrl)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        Assert.True(await _call.ResponseStream.MoveNext(guard.Token), "the server closed the stream");
        var response = _call.ResponseStream.Current;
        Assert.True(typeUrl == response.TypeUrl, $"expected a delta {XdsTypeUrls.Label(typeUrl)} response, got {XdsTypeUrls.Label(response.TypeUrl)}");
        return response;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _call.RequestStream.CompleteAsync();
        }
        catch (InvalidOperationException)
        {
        }
        catch (RpcException)
        {
        }
        _call.Dispose();
        _channel.Dispose();
    }
}
