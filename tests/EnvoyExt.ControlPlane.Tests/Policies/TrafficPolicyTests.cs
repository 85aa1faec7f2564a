using System.Text.Json.Nodes;
using EnvoyExt.ControlPlane.GatewayApi;
using EnvoyExt.ControlPlane.GatewayApi.Policies.Traffic;
using EnvoyExt.ControlPlane.Ir;
using static EnvoyExt.ControlPlane.Tests.Policies.PolicyScenario;

namespace EnvoyExt.ControlPlane.Tests.Policies;

/// <summary>TrafficPolicy: block validation naming the field, and the section-by-section merge through the engine.</summary>
public sealed class TrafficPolicyTests
{
    [Theory]
    [InlineData("{}", "needs at least one of bandwidthLimit, faultInjection, concurrencyLimit, timeouts, retry, circuitBreaker")]
    [InlineData("""{"shaping":{}}""", "shaping: unknown field (expected one of bandwidthLimit, faultInjection, concurrencyLimit, timeouts, retry, circuitBreaker)")]
    [InlineData("""{"retry":[]}""", "retry: must be an object")]
    [InlineData("""{"retry":{"numRetries":2}}""", "retry.retryOn: required (at least one condition, or retriableStatusCodes)")]
    [InlineData("""{"retry":{"retryOn":["5xx"],"numRetries":20}}""", "retry.numRetries: must be between 0 and 16 (got 20)")]
    [InlineData("""{"retry":{"retryOn":["5xx"],"numRetries":"2"}}""", "retry.numRetries: must be an integer")]
    [InlineData("""{"retry":{"retryOn":["5xx"],"perTryTimeout":"0s"}}""", "retry.perTryTimeout: must be longer than 0s")]
    [InlineData("""{"retry":{"retryOn":["5xx"],"backoff":{"maxInterval":"1s"}}}""", "retry.backoff.baseInterval: required")]
    [InlineData("""{"retry":{"retryOn":["5xx"],"backoff":{"baseInterval":"1s","maxInterval":"100ms"}}}""", "retry.backoff.maxInterval: must not be shorter than baseInterval")]
    [InlineData("""{"retry":{"retriableStatusCodes":[503,99]}}""", "retry.retriableStatusCodes[1]: must be between 100 and 599 (got 99)")]
    [InlineData("""{"retry":{"retryOn":["5xx"],"jitter":true}}""", "retry.jitter: unknown field")]
    [InlineData("""{"timeouts":{"request":"soon"}}""", "timeouts.request: \"soon\" is not a Gateway API duration (e.g. 10s, 500ms, 1m30s)")]
    [InlineData("""{"timeouts":{}}""", "timeouts.request: required")]
    [InlineData("""{"circuitBreaker":{}}""", "circuitBreaker: needs at least one of maxConnections, maxPendingRequests, maxRequests, maxRetries")]
    [InlineData("""{"circuitBreaker":{"maxConnections":-1}}""", "circuitBreaker.maxConnections: must be between 0 and 2147483647 (got -1)")]
    [InlineData("""{"faultInjection":{"seed":1,"abort":{"httpStatus":503}}}""", "faultInjection.seed: not allowed in a policy (draws are seeded per filter object)")]
    [InlineData("""{"faultInjection":{"abort":{"httpStatus":99}}}""", "faultInjection.abort.httpStatus: must be between 200 and 599 (got 99)")]
    [InlineData("""{"faultInjection":{"disabled":false}}""", "faultInjection.disabled: must be true (leave the section out to inherit it)")]
    [InlineData("""{"retry":{"disabled":"yes"}}""", "retry.disabled: must be a boolean")]
    [InlineData("""{"faultInjection":{"disabled":true,"abort":{"httpStatus":503}}}""", "faultInjection: disabled must be the only field when true")]
    [InlineData("""{"concurrencyLimit":{"maxConcurrentRequests":5,"adaptive":{"minConcurrency":9}}}""", "concurrencyLimit.adaptive.minConcurrency: must be between 1 and 5 (got 9)")]
    public void An_invalid_block_is_rejected_naming_the_field(string json, string expected)
    {
        Assert.False(TrafficBlockParser.TryParse(JsonNode.Parse(json)!.AsObject(), out var traffic, out var error));
        Assert.Null(traffic);
        Assert.Equal(expected, error);
    }

    [Theory]
    [InlineData("""{"concurrencyLimit":{"maxConcurrentRequests":0}}""", "concurrencyLimit.maxConcurrentRequests")]
    [InlineData("""{"bandwidthLimit":{"limitKiBps":0}}""", "bandwidthLimit.limitKiBps")]
    [InlineData("""{"bandwidthLimit":{"limitKiBps":64,"burst":1}}""", "bandwidthLimit.burst")]
    public void The_filter_sections_are_checked_by_the_filters_contracts(string json, string field)
    {
        Assert.False(TrafficBlockParser.TryParse(JsonNode.Parse(json)!.AsObject(), out _, out var error));
        Assert.StartsWith(field + ":", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Retriable_status_codes_bring_their_condition()
    {
        Assert.True(TrafficBlockParser.TryParse(
            JsonNode.Parse("""{"retry":{"retryOn":["5xx","5xx"],"retriableStatusCodes":[503,503,429]}}""")!.AsObject(), out var traffic, out var error), error);
        Assert.Equal(["5xx", "retriable-status-codes"], traffic!.Retry!.RetryOn);
        Assert.Equal([503, 429], traffic.Retry.RetriableStatusCodes);
    }

    [Fact]
    public void Sections_merge_one_by_one_and_a_gateway_override_has_the_last_word()
    {
        var result = new PolicyScenario()
            .Add(Traffic("platform", Gateway(),
                defaults: "{ faultInjection: { abort: { httpStatus: 503, percentage: { numerator: 5 } } }, retry: { retryOn: [5xx], numRetries: 1 } }",
                overrides: "{ circuitBreaker: { maxConnections: 100 } }"))
            .Add(Traffic("team", Route(),
                defaults: "{ retry: { retryOn: [connect-failure], numRetries: 3 }, circuitBreaker: { maxConnections: 5000 }, concurrencyLimit: { maxConcurrentRequests: 10 } }"))
            .Add(Traffic("orders", Route("orders"), defaults: "{ concurrencyLimit: { name: orders, maxConcurrentRequests: 2 } }"))
            .Translate();

        var orders = Feature(result, 8080, 0)!;
        var other = Feature(result, 8080, 2)!;
        Assert.Equal("default/platform", orders.Fault!.Name);
        Assert.Equal(["connect-failure"], orders.Retry!.RetryOn);
        Assert.Equal(3, orders.Retry.NumRetries);
        Assert.Equal(100, orders.CircuitBreakers!.MaxConnections);
        Assert.Equal(("orders", 2), (orders.ConcurrencyLimit!.Name, orders.ConcurrencyLimit.MaxConcurrentRequests));
        Assert.Equal(("default/team", 10), (other.ConcurrencyLimit!.Name, other.ConcurrencyLimit.MaxConcurrentRequests));
        Assert.Same(orders.Fault, other.Fault);

        // Listener level: the Gateway's blocks alone.
        var listener = result.Ir.Gateways["default/gw"].HttpListeners.Single(l => l.Port == 9090).Filters.Get(IrFeatures.Traffic)!;
        Assert.Equal(["5xx"], listener.Retry!.RetryOn);
        Assert.Null(listener.ConcurrencyLimit);

        Assert.Contains(result.PolicyConditions("team"), c => c is { Type: "Overridden", Status: "True" } && c.Message.Contains("default/platform", StringComparison.Ordinal));
        Assert.Contains(result.PolicyConditions("platform"), c => c is { Type: "Overridden", Status: "True" } && c.Message.Contains("default/team", StringComparison.Ordinal));
        Assert.Contains(result.PolicyConditions("orders"), c => c is { Type: "Accepted", Status: "True" });
    }

    [Fact]
    public void A_route_policy_switches_off_one_inherited_section_and_keeps_the_others()
    {
        var result = new PolicyScenario()
            .Add(Traffic("platform", Gateway(),
                defaults: "{ faultInjection: { abort: { httpStatus: 503, percentage: { numerator: 5 } } }, concurrencyLimit: { maxConcurrentRequests: 50, adaptive: { minConcurrency: 2 } } }"))
            .Add(Traffic("no-faults", Route("orders"), defaults: "{ faultInjection: { disabled: true } }"))
            .Translate();

        var orders = Feature(result, 8080, 0)!;
        var other = Feature(result, 8080, 2)!;
        Assert.Null(orders.Fault);
        Assert.Equal(("default/platform", 50, 2), (orders.ConcurrencyLimit!.Name, orders.ConcurrencyLimit.MaxConcurrentRequests, orders.ConcurrencyLimit.Adaptive!.MinConcurrency));
        Assert.NotNull(other.Fault);
        Assert.Same(orders.ConcurrencyLimit, other.ConcurrencyLimit);
        Assert.Contains(result.PolicyConditions("no-faults"), c => c is { Type: "Accepted", Status: "True" });
        Assert.Contains(result.PolicyConditions("platform"), c => c is { Type: "Overridden", Status: "True" } && c.Message.Contains("default/no-faults", StringComparison.Ordinal));
    }

    [Fact]
    public void Switching_off_every_section_leaves_no_traffic_feature()
    {
        var result = new PolicyScenario()
            .Add(Traffic("platform", Gateway(), defaults: "{ faultInjection: { abort: { httpStatus: 503 } } }"))
            .Add(Traffic("none", Route("orders"), defaults: "{ faultInjection: { disabled: true } }"))
            .Translate();

        Assert.Null(Feature(result, 8080, 0));
        Assert.NotNull(Feature(result, 8080, 2)!.Fault);
    }

    [Fact]
    public void A_disabled_section_in_overrides_is_a_kill_switch_and_a_later_section_brings_it_back()
    {
        var killed = new PolicyScenario()
            .Add(Traffic("platform", Gateway(), overrides: "{ retry: { disabled: true } }"))
            .Add(Traffic("team", Route("orders"), defaults: "{ retry: { retryOn: [5xx] }, timeouts: { request: 2s } }"))
            .Translate();
        var orders = Feature(killed, 8080, 0)!;
        Assert.Null(orders.Retry);
        Assert.Equal(2000, orders.RequestTimeoutMs);

        var restored = new PolicyScenario()
            .Add(Traffic("platform", Gateway(), overrides: "{ faultInjection: { abort: { httpStatus: 500 } } }"))
            .Add(Traffic("team", Route("orders"), defaults: "{ faultInjection: { disabled: true } }"))
            .Translate();
        Assert.Equal(500, Feature(restored, 8080, 0)!.Fault!.Abort!.HttpStatus);
    }

    [Fact]
    public void A_route_without_a_policy_has_no_traffic_feature_and_an_invalid_policy_attaches_nothing()
    {
        var result = new PolicyScenario()
            .Add(Traffic("broken", Route("orders"), defaults: "{ retry: { retryOn: [sometimes] } }"))
            .Translate();

        Assert.Null(Feature(result, 8080, 0));
        Assert.Contains(result.PolicyConditions("broken"),
            c => c is { Type: "Accepted", Status: "False", Reason: "Invalid" } && c.Message.StartsWith("spec.defaults.retry.retryOn[0]: must be one of", StringComparison.Ordinal));
    }

    private static IrTraffic? Feature(TranslationResult result, int port, int rule) =>
        result.Ir.Gateways["default/gw"].HttpListeners.Single(l => l.Port == port)
            .VirtualHosts.SelectMany(v => v.Routes)
            .Single(r => r.Name == $"httproute/default/api/rule/{rule}/match/0")
            .Filters.Get(IrFeatures.Traffic);

    private static string Traffic(string name, string target, string? defaults = null, string? overrides = null) =>
        $$"""
        apiVersion: gateway.envoyext.io/v1alpha1
        kind: TrafficPolicy
        metadata: { name: {{name}}, namespace: default }
        spec:
          targetRefs: [{{target}}]
        """ + (defaults is null ? "" : $"\n  defaults: {defaults}") + (overrides is null ? "" : $"\n  overrides: {overrides}");
}
