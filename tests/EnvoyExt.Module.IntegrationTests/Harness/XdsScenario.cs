using System.Runtime.CompilerServices;
using Envoy.Config.Listener.V3;
using Envoy.Config.Route.V3;
using Envoy.Extensions.Filters.Http.DynamicModules.V3;
using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;
using EnvoyExt.ControlPlane.GatewayApi;
using EnvoyExt.ControlPlane.Providers.Standalone;
using EnvoyExt.ControlPlane.XdsTranslation;
using Google.Protobuf.WellKnownTypes;

namespace EnvoyExt.Module.IntegrationTests.Harness;

/// <summary>
/// An examples/ folder as the ABI host runs it: the YAML read by the standalone provider, translated by
/// the controller's Gateway API and xDS translators, and the first HTTP listener's dynamic-module
/// filters (chain order, listener-level documents) and routes (path prefixes, per-route documents)
/// turned into host filters and routes. The host has no per-route disabling: a filter the HCM holds
/// disabled runs its listener-level document on other routes, which the controller makes a pass-through.
/// </summary>
internal sealed record XdsScenario(IReadOnlyList<FilterSpec> Filters, IReadOnlyList<RouteSpec> Routes, IReadOnlyList<string> Problems)
{
    public static XdsScenario FromExample(string example, string gateway)
    {
        var translation = GatewayApiTranslator.Translate(StandaloneProvider.ReadFolder(Path.Combine(ExamplesRoot(), example)));
        var resources = XdsTranslator.Translate(translation.Ir)[gateway];
        var problems = translation.Status.Problems.Concat(resources.Problems).ToList();
        var listener = (Listener)resources.Listeners[0].Message;
        var hcm = listener.FilterChains.SelectMany(c => c.Filters)
            .Select(f => f.TypedConfig)
            .First(a => a.Is(HttpConnectionManager.Descriptor))
            .Unpack<HttpConnectionManager>();
        var table = (RouteConfiguration)resources.Routes.Single(r => r.Name == hcm.Rds.RouteConfigName).Message;

        var filters = new List<FilterSpec>();
        var moduleFilterByChainName = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var httpFilter in hcm.HttpFilters.Where(f => f.TypedConfig.Is(DynamicModuleFilter.Descriptor)))
        {
            var module = httpFilter.TypedConfig.Unpack<DynamicModuleFilter>();
            moduleFilterByChainName[httpFilter.Name] = module.FilterName;
            filters.Add(new FilterSpec(module.FilterName, module.FilterConfig.Unpack<StringValue>().Value));
        }

        var routes = new List<RouteSpec>();
        foreach (var route in table.VirtualHosts.SelectMany(v => v.Routes))
        {
            var perFilter = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (chainName, any) in route.TypedPerFilterConfig)
            {
                if (moduleFilterByChainName.TryGetValue(chainName, out var filterName) && any.Is(DynamicModuleFilterPerRoute.Descriptor))
                {
                    perFilter[filterName] = any.Unpack<DynamicModuleFilterPerRoute>().FilterConfig.Unpack<StringValue>().Value;
                }
            }

            var prefix = route.Match.PathSpecifierCase switch
            {
                RouteMatch.PathSpecifierOneofCase.PathSeparatedPrefix => route.Match.PathSeparatedPrefix,
                RouteMatch.PathSpecifierOneofCase.Prefix => route.Match.Prefix,
                RouteMatch.PathSpecifierOneofCase.Path => route.Match.Path,
                _ => throw new InvalidOperationException($"route {route.Name}: the host matches path prefixes only"),
            };
            routes.Add(new RouteSpec(route.Name, prefix, perFilter));
        }

        return new XdsScenario(filters, routes, problems);
    }

    private static string ExamplesRoot([CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", "..", "..", "examples"));
}
