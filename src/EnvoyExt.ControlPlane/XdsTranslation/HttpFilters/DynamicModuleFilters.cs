using Envoy.Extensions.DynamicModules.V3;
using Envoy.Extensions.Filters.Http.DynamicModules.V3;
using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;
using Google.Protobuf.WellKnownTypes;

namespace EnvoyExt.ControlPlane.XdsTranslation.HttpFilters;

/// <summary>
/// xDS for a filter of our dynamic module (libenvoyext.so): the listener-level DynamicModuleFilter and
/// the per-route DynamicModuleFilterPerRoute, each carrying the filter's JSON document as a string.
/// </summary>
internal static class DynamicModuleFilters
{
    public const string ModuleName = "envoyext";

    public static HttpFilter Listener(string httpFilterName, string moduleFilterName, string json)
    {
        var filter = new DynamicModuleFilter
        {
            DynamicModuleConfig = ModuleConfig(),
            FilterName = moduleFilterName,
            FilterConfig = Any.Pack(new StringValue { Value = json }),
        };
        return new HttpFilter { Name = httpFilterName, TypedConfig = Any.Pack(filter) };
    }

    public static Any PerRoute(string moduleFilterName, string json)
    {
        var perRoute = new DynamicModuleFilterPerRoute
        {
            DynamicModuleConfig = ModuleConfig(),
            // Both names: 1.40 reads per_route_config_name, later releases prefer filter_name.
            PerRouteConfigName = moduleFilterName,
            FilterName = moduleFilterName,
            FilterConfig = Any.Pack(new StringValue { Value = json }),
        };
        return Any.Pack(perRoute);
    }

    // do_not_close: the .NET runtime inside libenvoyext.so cannot be unloaded and reloaded.
    private static DynamicModuleConfig ModuleConfig() => new() { Name = ModuleName, DoNotClose = true };
}
