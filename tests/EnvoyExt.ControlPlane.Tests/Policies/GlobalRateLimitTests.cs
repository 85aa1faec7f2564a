using Envoy.Extensions.Filters.Http.DynamicModules.V3;
using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;
using EnvoyExt.ControlPlane.GatewayApi;
using EnvoyExt.ControlPlane.GatewayApi.Status;
using EnvoyExt.ControlPlane.Ir;
using EnvoyExt.ControlPlane.Resources;
using EnvoyExt.ControlPlane.Resources.Yaml;
using EnvoyExt.ControlPlane.XdsTranslation;
using EnvoyExt.Filters.RateLimit.Config;
using Google.Protobuf.WellKnownTypes;
using EnvoyListener = Envoy.Config.Listener.V3.Listener;

namespace EnvoyExt.ControlPlane.Tests.Policies;

/// <summary>
/// Global rate-limit rules: the Redis comes from the GatewayClass's parametersRef (EnvoyExtParameters),
/// reaches the filter as the listener-level "global" block, its password as an SDS generic secret; a
/// policy asking for Global where the class has no Redis, and invalid parameters, are reported.
/// </summary>
public sealed class GlobalRateLimitTests
{
    private const string Password = "s3cret-redis-pass-91ac";

    private const string Parameters = """
        apiVersion: gateway.envoyext.io/v1alpha1
        kind: EnvoyExtParameters
        metadata: { name: redis, namespace: infra }
        spec:
          rateLimit:
            redis:
              addresses: ["redis.infra:6379"]
              keyPrefix: "prod:rl"
              timeout: 250ms
              passwordRef: { name: redis-auth }
            batch: 50
            failOpen: false
        """;

    private static readonly string PasswordSecret = $$"""
        apiVersion: v1
        kind: Secret
        metadata: { name: redis-auth, namespace: infra }
        stringData: { password: "{{Password}}" }
        """;

    private const string GlobalPolicy = """
        apiVersion: gateway.envoyext.io/v1alpha1
        kind: RateLimitPolicy
        metadata: { name: shared-quota, namespace: default }
        spec:
          targetRefs: [{ group: gateway.networking.k8s.io, kind: HTTPRoute, name: api }]
          defaults:
            rateLimit:
              rules:
                - name: per-user
                  type: Global
                  clientSelectors: [{ headers: [{ name: x-user, type: Distinct }] }]
                  limit: { requests: 5, unit: Minute }
        """;

    private static string Base(string? parametersRef) => $$"""
        apiVersion: gateway.networking.k8s.io/v1
        kind: GatewayClass
        metadata: { name: envoyext }
        spec:
          controllerName: gateway.envoyext.io/controller{{(parametersRef is null ? "" : "\n  parametersRef: " + parametersRef)}}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: { name: gw, namespace: default }
        spec:
          gatewayClassName: envoyext
          listeners: [{ name: http, port: 8080, protocol: HTTP }]
        ---
        apiVersion: v1
        kind: Service
        metadata: { name: app, namespace: default }
        spec: { ports: [{ port: 80 }] }
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: { name: api, namespace: default }
        spec:
          parentRefs: [{ name: gw }]
          rules: [{ backendRefs: [{ name: app, port: 80 }] }]
        """;

    private const string RedisRef = "{ group: gateway.envoyext.io, kind: EnvoyExtParameters, name: redis, namespace: infra }";

    private static TranslationResult Translate(params string[] documents)
    {
        var read = ResourceFileReader.Read("global.yaml", string.Join("\n---\n", documents));
        Assert.Empty(read.Warnings);
        return GatewayApiTranslator.Translate(ResourceSet.From(read.Resources, read.Warnings));
    }

    private static Condition ClassAccepted(TranslationResult result) =>
        result.Status.GatewayClasses.Single().Conditions.Single(c => c.Type == Reasons.Accepted);

    private static Condition PolicyAccepted(TranslationResult result) =>
        result.Status.Policies.Single(p => p.Name == "shared-quota").Ancestors.SelectMany(a => a.Conditions).Single(c => c.Type == Reasons.Accepted);

    /// <summary>The listener-level rate_limit document exactly as Envoy receives it.</summary>
    private static RateLimitConfig ListenerFilterConfig(GatewayXdsResources xds)
    {
        var listener = EnvoyListener.Parser.ParseFrom(Assert.Single(xds.Listeners).Packed.Value);
        var hcm = listener.FilterChains.SelectMany(c => c.Filters).Single().TypedConfig.Unpack<HttpConnectionManager>();
        var module = hcm.HttpFilters.Single(f => f.Name == "envoyext.rate_limit").TypedConfig.Unpack<DynamicModuleFilter>();
        var json = module.FilterConfig.Unpack<StringValue>().Value;
        Assert.True(RateLimitConfigJson.TryParse(json, RateLimitConfigLevel.Listener, out var config, out var error), error);
        return config!;
    }

    [Fact]
    public void TheClassRedisReachesTheListenerAndThePasswordTravelsOverSds()
    {
        var result = Translate(Base(RedisRef), Parameters, PasswordSecret, GlobalPolicy);

        Assert.Equal(Reasons.Accepted, ClassAccepted(result).Reason);
        Assert.Equal("True", PolicyAccepted(result).Status);
        var gateway = result.Ir.Gateways["default/gw"];
        Assert.Equal("redis-password/infra/redis-auth/password", Assert.Single(gateway.GenericSecrets!).Name);

        var xds = XdsTranslator.Translate(result.Ir)["default/gw"];
        var global = ListenerFilterConfig(xds).Global!;
        Assert.Equal(["redis.infra:6379"], global.Redis!.Addresses!);
        Assert.Equal("prod:rl", global.Redis.KeyPrefix);
        Assert.Equal(250, global.Redis.TimeoutMs);
        Assert.Equal(50, global.Batch);
        Assert.False(global.FailOpen);
        Assert.Equal("redis-password/infra/redis-auth/password", global.Redis.PasswordSecret);
        Assert.Equal("Ads", global.Redis.PasswordSecretSource);

        var served = Envoy.Extensions.TransportSockets.Tls.V3.Secret.Parser.ParseFrom(Assert.Single(xds.Secrets).Packed.Value);
        Assert.Equal(("redis-password/infra/redis-auth/password", Password), (served.Name, served.GenericSecret.Secret.InlineString));
        Assert.DoesNotContain(Password, TranslationJson.Serialize(result), StringComparison.Ordinal);
        Assert.DoesNotContain(Password, XdsJson.ToIndentedString(XdsJson.ToNode(XdsTranslator.Translate(result.Ir))), StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutGlobalRulesNoConnectionIsConfigured()
    {
        var local = GlobalPolicy.Replace("type: Global", "type: Local", StringComparison.Ordinal);
        var result = Translate(Base(RedisRef), Parameters, PasswordSecret, local);

        Assert.Equal("True", PolicyAccepted(result).Status);
        var gateway = result.Ir.Gateways["default/gw"];
        Assert.Null(gateway.GenericSecrets);
        Assert.Null(gateway.HttpListeners.Single().Filters.Get(IrFeatures.RateLimitBackend));
        Assert.Null(ListenerFilterConfig(XdsTranslator.Translate(result.Ir)["default/gw"]).Global);
    }

    [Fact]
    public void AGlobalPolicyWhereTheClassHasNoRedisIsInvalidNamingTheField()
    {
        var result = Translate(Base(null), GlobalPolicy);

        var accepted = PolicyAccepted(result);
        Assert.Equal(("False", Reasons.Invalid), (accepted.Status, accepted.Reason));
        Assert.StartsWith("spec.defaults.rateLimit.rules[0].type: Global needs the Redis of the GatewayClass, and GatewayClass envoyext of Gateway default/gw",
            accepted.Message, StringComparison.Ordinal);
        Assert.Null(result.Ir.Gateways["default/gw"].HttpListeners.Single().VirtualHosts.Single().Routes.Single().Filters.Get(IrFeatures.RateLimit));
    }

    [Theory]
    [InlineData("{ group: example.com, kind: Config, name: redis, namespace: infra }", "spec.parametersRef: example.com/Config is not supported")]
    [InlineData("{ group: gateway.envoyext.io, kind: EnvoyExtParameters, name: redis }", "spec.parametersRef.namespace: required")]
    [InlineData("{ group: gateway.envoyext.io, kind: EnvoyExtParameters, name: absent, namespace: infra }", "spec.parametersRef: EnvoyExtParameters infra/absent does not exist")]
    public void AnUnresolvableParametersRefIsInvalidParameters(string reference, string message)
    {
        var result = Translate(Base(reference), Parameters, PasswordSecret, GlobalPolicy);

        var accepted = ClassAccepted(result);
        Assert.Equal(("False", Reasons.InvalidParameters), (accepted.Status, accepted.Reason));
        Assert.StartsWith(message, accepted.Message, StringComparison.Ordinal);
        // Its Gateways are still served, without Redis: the Global policy says why.
        Assert.True(result.Ir.Gateways.ContainsKey("default/gw"));
        Assert.Contains("its parametersRef is invalid (" + message, PolicyAccepted(result).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("addresses: [\"redis.infra:6379\"]", "addresses: [\"redis.infra\"]", "spec.rateLimit.redis.addresses[0]: must be host:port with a port 1..65535")]
    [InlineData("timeout: 250ms", "timeout: 20s", "spec.rateLimit.redis.timeout: must be between 1ms and 10000ms (got 20s)")]
    [InlineData("timeout: 250ms", "timeout: soon", "spec.rateLimit.redis.timeout: \"soon\" is not a Gateway API duration")]
    [InlineData("batch: 50", "batch: 0", "spec.rateLimit.batch: must be between 1 and 1000000 (got 0)")]
    [InlineData("passwordRef: { name: redis-auth }", "passwordRef: { name: redis-auth, key: token }", "spec.rateLimit.redis.passwordRef.key: Secret infra/redis-auth has no key \"token\"")]
    [InlineData("passwordRef: { name: redis-auth }", "passwordRef: { name: nope }", "spec.rateLimit.redis.passwordRef: Secret infra/nope does not exist")]
    public void InvalidParametersAreReportedOnTheClassNamingTheField(string from, string to, string message)
    {
        var result = Translate(Base(RedisRef), Parameters.Replace(from, to, StringComparison.Ordinal), PasswordSecret, GlobalPolicy);

        var accepted = ClassAccepted(result);
        Assert.Equal(("False", Reasons.InvalidParameters), (accepted.Status, accepted.Reason));
        Assert.StartsWith("EnvoyExtParameters infra/redis: " + message, accepted.Message, StringComparison.Ordinal);
        Assert.Null(result.Ir.Gateways["default/gw"].GenericSecrets);
    }

    [Fact]
    public void AnUnknownParametersFieldIsAReadProblem()
    {
        var error = Assert.Throws<ResourceReadException>(() =>
            ResourceFileReader.Read("p.yaml", Parameters.Replace("batch: 50", "batchSize: 50", StringComparison.Ordinal)));

        Assert.Equal("p.yaml:11: spec.rateLimit.batchSize: unknown field", error.Message);
    }

    [Fact]
    public void TooManyAddressesAreRefusedAsTheApiServerWould()
    {
        var many = string.Join(", ", Enumerable.Range(1, 17).Select(i => $"\"r{i}:6379\""));
        var error = Assert.Throws<ResourceReadException>(() =>
            ResourceFileReader.Read("p.yaml", Parameters.Replace("[\"redis.infra:6379\"]", $"[{many}]", StringComparison.Ordinal)));

        Assert.Equal("p.yaml:7: spec.rateLimit.redis.addresses: at most 16 items are allowed (got 17)", error.Message);
    }
}
