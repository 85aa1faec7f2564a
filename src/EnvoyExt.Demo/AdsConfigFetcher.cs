using Envoy.Config.Cluster.V3;
using Envoy.Config.Core.V3;
using Envoy.Config.Listener.V3;
using Envoy.Config.Route.V3;
using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;
using Envoy.Service.Discovery.V3;
using Grpc.Core;
using Grpc.Net.Client;

namespace EnvoyExt.Demo;

/// <summary>
/// A minimal State-of-the-World ADS client that behaves like Envoy at start-up: wildcard CDS and LDS,
/// then RDS for the route tables the listeners name, ACKing every response. It stops once it holds
/// every listener and every route table they reference.
/// </summary>
internal sealed class AdsConfigFetcher(Uri xdsAddress, Node node)
{
    public async Task<NodeConfiguration> FetchAsync(TimeSpan timeout)
    {
        using var channel = GrpcChannel.ForAddress(xdsAddress);
        var client = new AggregatedDiscoveryService.AggregatedDiscoveryServiceClient(channel);
        using var cts = new CancellationTokenSource(timeout);
        using var call = client.StreamAggregatedResources(cancellationToken: cts.Token);

        var listeners = new List<Listener>();
        var routes = new Dictionary<string, RouteConfiguration>(StringComparer.Ordinal);
        var clusters = new List<string>();
        var wantedRoutes = new SortedSet<string>(StringComparer.Ordinal);
        var secrets = new SortedDictionary<string, string>(StringComparer.Ordinal);
        SortedSet<string>? wantedSecrets = null;
        bool haveListeners = false;
        bool haveSecrets = false;
        bool secretsRequested = false;

        await call.RequestStream.WriteAsync(Request(XdsTypeUrl.Cluster, [], "", ""));
        await call.RequestStream.WriteAsync(Request(XdsTypeUrl.Listener, [], "", ""));

        await foreach (var response in call.ResponseStream.ReadAllAsync(cts.Token))
        {
            IEnumerable<string> subscribed = [];
            switch (response.TypeUrl)
            {
                case XdsTypeUrl.Cluster:
                    clusters = [.. response.Resources.Select(r => r.Unpack<Cluster>().Name)];
                    break;
                case XdsTypeUrl.Listener:
                    listeners = [.. response.Resources.Select(r => r.Unpack<Listener>())];
                    haveListeners = true;
                    var names = RouteTableNames(listeners);
                    if (!names.SetEquals(wantedRoutes))
                    {
                        wantedRoutes = names;
                        await call.RequestStream.WriteAsync(Request(XdsTypeUrl.Route, wantedRoutes, "", ""));
                    }

                    break;
                case XdsTypeUrl.Route:
                    subscribed = wantedRoutes;
                    foreach (var any in response.Resources)
                    {
                        var table = any.Unpack<RouteConfiguration>();
                        routes[table.Name] = table;
                    }

                    break;
                case XdsTypeUrl.Secret:
                    subscribed = wantedSecrets ?? [];
                    foreach (var any in response.Resources)
                    {
                        var secret = any.Unpack<Envoy.Extensions.TransportSockets.Tls.V3.Secret>();
                        if (secret.GenericSecret?.Secret is { } value)
                        {
                            secrets[secret.Name] = value.InlineString;
                        }
                    }

                    haveSecrets = true;
                    break;
            }

            // ACK: same type, the version and nonce we accept, and the names we still want.
            await call.RequestStream.WriteAsync(
                Request(response.TypeUrl, subscribed, response.VersionInfo, response.Nonce));

            if (haveListeners && wantedRoutes.All(routes.ContainsKey))
            {
                // The filters' secrets are asked for once the configs naming them are in; the
                // controller answers as soon as one of them exists.
                wantedSecrets ??= SecretNames.Referenced(listeners, routes.Values);
                if (wantedSecrets.Count > 0 && !haveSecrets)
                {
                    if (!secretsRequested)
                    {
                        secretsRequested = true;
                        await call.RequestStream.WriteAsync(Request(XdsTypeUrl.Secret, wantedSecrets, "", ""));
                    }

                    continue;
                }

                await call.RequestStream.CompleteAsync();
                return new NodeConfiguration(listeners, routes, clusters, secrets);
            }
        }

        throw new InvalidOperationException("the controller closed the ADS stream before sending a full configuration");
    }

    private DiscoveryRequest Request(string typeUrl, IEnumerable<string> names, string version, string nonce)
    {
        var request = new DiscoveryRequest { Node = node, TypeUrl = typeUrl, VersionInfo = version, ResponseNonce = nonce };
        request.ResourceNames.AddRange(names);
        return request;
    }

    private static SortedSet<string> RouteTableNames(IEnumerable<Listener> listeners)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var filter in listeners.SelectMany(l => l.FilterChains).SelectMany(c => c.Filters))
        {
            if (filter.TypedConfig is { } any && any.Is(HttpConnectionManager.Descriptor))
            {
                var hcm = any.Unpack<HttpConnectionManager>();
                if (hcm.Rds is { } rds)
                {
                    names.Add(rds.RouteConfigName);
                }
            }
        }

        return names;
    }
}
