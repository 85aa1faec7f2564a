using System.Text.Json;
using Envoy.Config.Listener.V3;
using Envoy.Config.Route.V3;
using Envoy.Extensions.Filters.Http.DynamicModules.V3;
using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;

namespace EnvoyExt.Demo;

/// <summary>
/// The generic secrets a node's filters will subscribe to. Envoy learns them when config_new
/// subscribes; the demo must fetch them before it starts the host, so it reads them from the
/// filter configs, where our filters name a secret under a property called <c>secret</c> or ending in
/// <c>Secret</c> (docs/sdk.md, "Generic secrets").
/// </summary>
internal static class SecretNames
{
    public static SortedSet<string> Referenced(IEnumerable<Listener> listeners, IEnumerable<RouteConfiguration> routes)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var filter in listeners.SelectMany(l => l.FilterChains).SelectMany(c => c.Filters))
        {
            if (filter.TypedConfig is { } any && any.Is(HttpConnectionManager.Descriptor))
            {
                foreach (var http in any.Unpack<HttpConnectionManager>().HttpFilters)
                {
                    if (http.TypedConfig is { } module && module.Is(DynamicModuleFilter.Descriptor))
                    {
                        Collect(FilterConfigBytes.ToModuleText(module.Unpack<DynamicModuleFilter>().FilterConfig), names);
                    }
                }
            }
        }

        foreach (var perRoute in routes.SelectMany(r => r.VirtualHosts).SelectMany(v => v.Routes).SelectMany(r => r.TypedPerFilterConfig.Values))
        {
            if (perRoute.Is(DynamicModuleFilterPerRoute.Descriptor))
            {
                Collect(FilterConfigBytes.ToModuleText(perRoute.Unpack<DynamicModuleFilterPerRoute>().FilterConfig), names);
            }
        }

        return names;
    }

    private static void Collect(string config, SortedSet<string> names)
    {
        try
        {
            using var document = JsonDocument.Parse(config);
            Walk(document.RootElement, names);
        }
        catch (JsonException)
        {
            // Not JSON: a filter whose config names no secret.
        }
    }

    private static void Walk(JsonElement element, SortedSet<string> names)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (property.Value.ValueKind == JsonValueKind.String &&
                        (property.Name == "secret" || property.Name.EndsWith("Secret", StringComparison.Ordinal)))
                    {
                        names.Add(property.Value.GetString()!);
                    }
                    else
                    {
                        Walk(property.Value, names);
                    }
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Walk(item, names);
                }

                break;
        }
    }
}
