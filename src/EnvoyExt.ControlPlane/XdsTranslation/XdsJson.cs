using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace EnvoyExt.ControlPlane.XdsTranslation;

/// <summary>
/// xDS resources as JSON the way Envoy's config dump reads (proto field names, "@type" on Any),
/// for golden files, the translate command and the admin /snapshot endpoint. SDS secrets are
/// written with their private key redacted: no JSON view of the resources carries a key.
/// </summary>
public static class XdsJson
{
    private static readonly TypeRegistry Registry = TypeRegistry.FromFiles(
        Envoy.Config.Cluster.V3.ClusterReflection.Descriptor,
        Envoy.Config.Endpoint.V3.EndpointReflection.Descriptor,
        Envoy.Config.Listener.V3.ListenerReflection.Descriptor,
        Envoy.Config.Route.V3.RouteReflection.Descriptor,
        Envoy.Extensions.Filters.Network.HttpConnectionManager.V3.HttpConnectionManagerReflection.Descriptor,
        Envoy.Extensions.Filters.Http.Router.V3.RouterReflection.Descriptor,
        Envoy.Extensions.Filters.Http.Cors.V3.CorsReflection.Descriptor,
        Envoy.Extensions.Filters.Http.DynamicModules.V3.DynamicModulesReflection.Descriptor,
        Envoy.Extensions.Upstreams.Http.V3.HttpProtocolOptionsReflection.Descriptor,
        Envoy.Extensions.Filters.Listener.TlsInspector.V3.TlsInspectorReflection.Descriptor,
        Envoy.Extensions.Filters.Network.TcpProxy.V3.TcpProxyReflection.Descriptor,
        Envoy.Extensions.TransportSockets.Tls.V3.TlsReflection.Descriptor,
        Envoy.Extensions.TransportSockets.Tls.V3.SecretReflection.Descriptor,
        Google.Protobuf.WellKnownTypes.WrappersReflection.Descriptor);

    private static readonly JsonFormatter Formatter = new(
        JsonFormatter.Settings.Default.WithTypeRegistry(Registry).WithPreserveProtoFieldNames(true));

    // Relaxed escaping keeps embedded JSON (filter configs) readable: quotes as \" rather than \u0022.
    private static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static JsonNode ToNode(IMessage message) =>
        JsonNode.Parse(Formatter.Format(message is Envoy.Extensions.TransportSockets.Tls.V3.Secret secret ? SecretTranslator.Redacted(secret) : message))!;

    /// <summary>{"clusters": [...], "endpoints": [...], "secrets": [...], "listeners": [...], "routes": [...]}.</summary>
    public static JsonObject ToNode(GatewayXdsResources resources)
    {
        var result = new JsonObject();
        foreach (var typeUrl in XdsTypeUrls.PushOrder)
        {
            var array = new JsonArray();
            foreach (var resource in resources.Get(typeUrl))
            {
                array.Add(ToNode(resource.Message));
            }
            result[XdsTypeUrls.Label(typeUrl)] = array;
        }
        return result;
    }

    /// <summary>Every Gateway's resources keyed by "&lt;namespace&gt;/&lt;gateway&gt;".</summary>
    public static JsonObject ToNode(IReadOnlyDictionary<string, GatewayXdsResources> byGateway)
    {
        var result = new JsonObject();
        foreach (var (key, resources) in byGateway.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            result[key] = ToNode(resources);
        }
        return result;
    }

    public static string ToIndentedString(JsonNode node) => node.ToJsonString(Indented) + "\n";
}
