using Envoy.Extensions.Filters.Http.DynamicModules.V3;
using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;
using EnvoyExt.ControlPlane.Ir;
using EnvoyExt.ControlPlane.XdsTranslation;
using EnvoyExt.ControlPlane.XdsTranslation.HttpFilters;
using EnvoyExt.Filters.RateLimit.Config;
using Google.Protobuf.WellKnownTypes;
using static EnvoyExt.ControlPlane.Tests.Xds.IrBuilder;

namespace EnvoyExt.ControlPlane.Tests.Xds;

/// <summary>A second module filter plugs into the HCM chain through a translator class and a place in the list.</summary>
public sealed class HttpFilterRegistryTests
{
    private static readonly IrFeatureKey<string> HeaderFeature = new("set_header", "setHeader");

    /// <summary>A test-only module filter whose feature is the header value it sets.</summary>
    private sealed class SetHeaderTranslator : IHttpFilterTranslator
    {
        public string HttpFilterName => "envoyext.set_header";

        public bool IsNeeded(IrHttpListener listener) =>
            listener.VirtualHosts.Any(v => v.Routes.Any(r => r.Filters.Get(HeaderFeature) is not null));

        public HttpFilter ListenerFilter(IrHttpListener listener) =>
            DynamicModuleFilters.Listener(HttpFilterName, "set_header", "{}");

        public IPerRouteFilterConfig PerRoute(IrHttpListener listener) => new HeaderPerRoute();

        private sealed class HeaderPerRoute : IPerRouteFilterConfig
        {
            public Any? For(IrRoute route) =>
                route.Filters.Get(HeaderFeature) is { } value ? DynamicModuleFilters.PerRoute("set_header", $$"""{"value":"{{value}}"}""") : null;
        }
    }

    private static IrHttpListener ListenerWith(IrFilterFeatures first, IrFilterFeatures second) =>
        Listener("default/gw/http", 8080, null, VHost("default/gw/http/*", ["*"],
            Route("httproute/default/a/rule/0/match/0", Match(Prefix("/a")), Forward(("default/app/80", 1))) with { Filters = first },
            Route("httproute/default/b/rule/0/match/0", Match(Prefix("/b")), Forward(("default/app/80", 1))) with { Filters = second }));

    [Fact]
    public void TheRegistryOrderIsTheChainOrderAndEachFilterGetsItsPerRouteConfig()
    {
        var limit = Limit("default/p", 5, RateLimitUnit.Second);
        var listener = ListenerWith(
            IrFilterFeatures.None.With(IrFeatures.RateLimit, limit).With(HeaderFeature, "one"),
            IrFilterFeatures.None.With(HeaderFeature, "two"));
        IHttpFilterTranslator[] filters = [new SetHeaderTranslator(), new RateLimitFilterTranslator()];

        var hcm = ListenerTranslator.Translate(listener, filters).FilterChains[0].Filters[0].TypedConfig.Unpack<HttpConnectionManager>();
        Assert.Equal(["envoyext.set_header", RateLimitFilterTranslator.FilterName, ListenerTranslator.RouterFilterName], hcm.HttpFilters.Select(f => f.Name));

        var routes = RouteTranslator.Translate(listener, filters)[0].VirtualHosts[0].Routes;
        string Config(int route, string filter) =>
            routes[route].TypedPerFilterConfig[filter].Unpack<DynamicModuleFilterPerRoute>().FilterConfig.Unpack<StringValue>().Value;
        Assert.Equal("""{"value":"one"}""", Config(0, "envoyext.set_header"));
        Assert.Equal("""{"value":"two"}""", Config(1, "envoyext.set_header"));
        Assert.Contains("default/p", Config(0, RateLimitFilterTranslator.FilterName), StringComparison.Ordinal);
        Assert.Equal(RateLimitFilterTranslator.DisabledJson, Config(1, RateLimitFilterTranslator.FilterName));
    }

    [Fact]
    public void AFilterNoRouteNeedsIsLeftOutOfTheChain()
    {
        var listener = ListenerWith(IrFilterFeatures.None, IrFilterFeatures.None.With(IrFeatures.RateLimit, Limit("default/p", 5, RateLimitUnit.Second)));

        var hcm = ListenerTranslator.Translate(listener, [new SetHeaderTranslator(), new RateLimitFilterTranslator()])
            .FilterChains[0].Filters[0].TypedConfig.Unpack<HttpConnectionManager>();

        Assert.Equal([RateLimitFilterTranslator.FilterName, ListenerTranslator.RouterFilterName], hcm.HttpFilters.Select(f => f.Name));
    }
}
