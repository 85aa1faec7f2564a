using System.Runtime.InteropServices;
using EnvoyExt.DynamicModules.Abi;
using EnvoyExt.DynamicModules.Sdk;

namespace EnvoyExt.DynamicModules.Exports;

/// <summary>
/// Per-route config hooks (main thread); the filter-level ones are the native stream entry's (see
/// <see cref="StreamEntryExports"/>). Each is a one-line call into the SDK dispatcher, which owns the
/// exception barrier (an exception there means NULL, i.e. config rejected).
/// </summary>
internal static class ConfigExports
{
    [UnmanagedCallersOnly(EntryPoint = "envoy_dynamic_module_on_http_filter_per_route_config_new")]
    public static nint PerRouteConfigNew(EnvoyBuffer name, EnvoyBuffer config) =>
        HttpFilterDispatcher.PerRouteConfigNew(name, config);

    [UnmanagedCallersOnly(EntryPoint = "envoy_dynamic_module_on_http_filter_per_route_config_destroy")]
    public static void PerRouteConfigDestroy(nint routeModule) => HttpFilterDispatcher.PerRouteConfigDestroy(routeModule);
}
