using Envoy.Config.Listener.V3;
using Envoy.Config.Route.V3;
using Envoy.Extensions.Filters.Http.DynamicModules.V3;
using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;
using EnvoyExt.ControlPlane.Ir;
using EnvoyExt.ControlPlane.XdsTranslation;
using EnvoyExt.ControlPlane.XdsTranslation.HttpFilters;
using EnvoyExt.Filters.RateLimit.Config;
using Google.Protobuf.WellKnownTypes;
using static EnvoyExt.ControlPlane.Tests.Xds.IrBuilder;

namespace EnvoyExt.ControlPlane.Tests.Xds;

/// <summary>Properties of the translation that golden files alone would not make obvious.</summary>
public sealed class XdsTranslatorTests
{
    [Fact]
    public void Same_input_gives_identical_versions_and_bytes()
    {
        foreach (var (name, build) in GoldenCases.All)
        {
            var first = XdsTranslator.Translate(build());
            var second = XdsTranslator.Translate(build());
            Assert.Equal(first.Keys, second.Keys);
            foreach (var key in first.Keys)
            {
                foreach (var type in XdsTypeUrls.PushOrder)
                {
                    Assert.True(first[key].Version(type) == second[key].Version(type), $"{name}: {type} version not stable");
                    Assert.Equal(first[key].Get(type).Select(r => r.Packed.Value), second[key].Get(type).Select(r => r.Packed.Value));
                }
            }
        }
    }

    [Fact]
    public void Changing_one_route_changes_only_the_route_version()
    {
        var before = XdsTranslator.Translate(GoldenCases.All["basic-forward"]())["default/gw"];
        var changed = SimpleGateway(
            [Route("httproute/default/app/rule/0/match/0", Match(Prefix("/v2")), Forward(("default/backend/8080", 1)))],
            [Cluster("default/backend/8080", ("10.0.0.1", 8080), ("10.0.0.2", 8080))]);
        var after = XdsTranslator.Translate(changed)["default/gw"];
        Assert.NotEqual(before.Version(XdsTypeUrls.Route), after.Version(XdsTypeUrls.Route));
        Assert.Equal(before.Version(XdsTypeUrls.Cluster), after.Version(XdsTypeUrls.Cluster));
        Assert.Equal(before.Version(XdsTypeUrls.Endpoint), after.Version(XdsTypeUrls.Endpoint));
        Assert.Equal(before.Version(XdsTypeUrls.Listener), after.Version(XdsTypeUrls.Listener));
    }

    [Fact]
    public void Rate_limit_filter_runs_before_the_router_and_carries_json_the_filter_accepts()
    {
        var gateway = XdsTranslator.Translate(GoldenCases.All["rate-limit"]())["default/gw"];
        var listener = (Listener)gateway.Listeners.Single().Message;
        var hcm = listener.FilterChains.Single().Filters.Single().TypedConfig.Unpack<HttpConnectionManager>();
        Assert.Equal([RateLimitFilterTranslator.FilterName, "envoy.filters.http.router"], hcm.HttpFilters.Select(f => f.Name));

        var filter = hcm.HttpFilters[0].TypedConfig.Unpack<DynamicModuleFilter>();
        Assert.Equal("envoyext", filter.DynamicModuleConfig.Name);
        Assert.True(filter.DynamicModuleConfig.DoNotClose);
        Assert.Equal("rate_limit", filter.FilterName);
        var listenerJson = filter.FilterConfig.Unpack<StringValue>().Value;
        Assert.True(RateLimitConfigJson.TryParse(System.Text.Encoding.UTF8.GetBytes(listenerJson), RateLimitConfigLevel.Listener, out var parsed, out var error), error);
        Assert.Equal("default/gateway-wide", parsed!.Name);

        var routes = ((RouteConfiguration)gateway.Routes.Single().Message).VirtualHosts.Single().Routes;
        foreach (var route in routes)
        {
            var perRoute = route.TypedPerFilterConfig[RateLimitFilterTranslator.FilterName].Unpack<DynamicModuleFilterPerRoute>();
            Assert.Equal("rate_limit", perRoute.FilterName);
            Assert.Equal("rate_limit", perRoute.PerRouteConfigName);
            var json = perRoute.FilterConfig.Unpack<StringValue>().Value;
            Assert.True(RateLimitConfigJson.TryParse(System.Text.Encoding.UTF8.GetBytes(json), RateLimitConfigLevel.Route, out _, out var routeError), routeError);
        }
        Assert.Contains("default/api-strict", routes[0].TypedPerFilterConfig[RateLimitFilterTranslator.FilterName].Unpack<DynamicModuleFilterPerRoute>().FilterConfig.Unpack<StringValue>().Value);
        Assert.Equal("{\"disabled\":true}", routes[1].TypedPerFilterConfig[RateLimitFilterTranslator.FilterName].Unpack<DynamicModuleFilterPerRoute>().FilterConfig.Unpack<StringValue>().Value);
    }

    [Fact]
    public void Listener_without_any_policy_has_no_rate_limit_filter_and_routes_no_per_filter_config()
    {
        var gateway = XdsTranslator.Translate(GoldenCases.All["basic-forward"]())["default/gw"];
        var hcm = ((Listener)gateway.Listeners.Single().Message).FilterChains.Single().Filters.Single().TypedConfig.Unpack<HttpConnectionManager>();
        Assert.Equal(["envoy.filters.http.router"], hcm.HttpFilters.Select(f => f.Name));
        Assert.Equal("default/gw/http", hcm.Rds.RouteConfigName);
        var route = ((RouteConfiguration)gateway.Routes.Single().Message).VirtualHosts.Single().Routes.Single();
        Assert.Empty(route.TypedPerFilterConfig);
    }

    [Fact]
    public void Listener_fetches_its_route_configuration_over_ads_by_its_own_name()
    {
        var gateway = XdsTranslator.Translate(GoldenCases.All["multi-gateway"]())["infra/public"];
        foreach (var (listenerResource, routeResource) in gateway.Listeners.Zip(gateway.Routes))
        {
            var hcm = ((Listener)listenerResource.Message).FilterChains.Single().Filters.Single().TypedConfig.Unpack<HttpConnectionManager>();
            Assert.NotNull(hcm.Rds.ConfigSource.Ads);
            Assert.Equal(routeResource.Name, hcm.Rds.RouteConfigName);
            Assert.Equal(listenerResource.Name, routeResource.Name);
        }
    }

    [Fact]
    public void Every_route_reference_names_a_cluster_of_the_same_gateway()
    {
        foreach (var (name, build) in GoldenCases.All)
        {
            foreach (var (_, gateway) in XdsTranslator.Translate(build()))
            {
                var clusters = gateway.Clusters.Select(c => c.Name).ToHashSet();
                Assert.Equal(clusters, gateway.Endpoints.Select(e => e.Name).ToHashSet());
                foreach (var route in gateway.Routes.SelectMany(r => ((RouteConfiguration)r.Message).VirtualHosts).SelectMany(v => v.Routes))
                {
                    if (route.ActionCase != Envoy.Config.Route.V3.Route.ActionOneofCase.Route_)
                    {
                        continue;
                    }
                    var referenced = route.Route_.ClusterSpecifierCase == RouteAction.ClusterSpecifierOneofCase.Cluster
                        ? [route.Route_.Cluster]
                        : route.Route_.WeightedClusters.Clusters.Select(c => c.Name).ToList();
                    referenced.AddRange(route.Route_.RequestMirrorPolicies.Select(m => m.Cluster));
                    Assert.All(referenced, c => Assert.True(clusters.Contains(c), $"{name}: route {route.Name} names missing cluster {c}"));
                }
            }
        }
    }

    [Fact]
    public void Unknown_redirect_status_is_an_error_naming_the_field()
    {
        var snapshot = SimpleGateway([Route("httproute/default/r/rule/0/match/0", Match(), new IrRedirect(null, "x", null, null, 399))], []);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => XdsTranslator.Translate(snapshot));
        Assert.Contains("statusCode", error.Message);
    }
}
