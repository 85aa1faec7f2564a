using EnvoyExt.ControlPlane.GatewayApi;
using EnvoyExt.ControlPlane.GatewayApi.Status;
using EnvoyExt.ControlPlane.Ir;
using EnvoyExt.ControlPlane.Resources;
using EnvoyExt.ControlPlane.Resources.Yaml;
using EnvoyExt.Filters.RateLimit.Config;

namespace EnvoyExt.ControlPlane.Tests.Policies;

/// <summary>
/// A Gateway with two listeners ("public" on 8080, "internal" on 9090) and one HTTPRoute "api"
/// with rules "orders", "health" and an unnamed catch-all, plus whatever policies a test adds.
/// </summary>
internal sealed class PolicyScenario
{
    private const string Base = """
        apiVersion: gateway.networking.k8s.io/v1
        kind: GatewayClass
        metadata: { name: envoyext }
        spec: { controllerName: gateway.envoyext.io/controller }
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: { name: gw, namespace: default }
        spec:
          gatewayClassName: envoyext
          listeners:
            - { name: public, port: 8080, protocol: HTTP }
            - { name: internal, port: 9090, protocol: HTTP }
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
          rules:
            - name: orders
              matches: [{ path: { type: PathPrefix, value: /orders } }]
              backendRefs: [{ name: app, port: 80 }]
            - name: health
              matches: [{ path: { type: Exact, value: /health } }]
              backendRefs: [{ name: app, port: 80 }]
            - backendRefs: [{ name: app, port: 80 }]
        """;

    private readonly List<string> _documents = [Base];

    public PolicyScenario Policy(string name, string target, string? defaults = null, string? overrides = null, string? created = null)
    {
        var doc = $$"""
            apiVersion: gateway.envoyext.io/v1alpha1
            kind: RateLimitPolicy
            metadata: { name: {{name}}, namespace: default{{(created is null ? "" : $", creationTimestamp: \"{created}\"")}} }
            spec:
              targetRefs: [{{target}}]
            """;
        if (defaults is not null)
        {
            doc += $"\n  defaults:\n    rateLimit: {defaults}";
        }

        if (overrides is not null)
        {
            doc += $"\n  overrides:\n    rateLimit: {overrides}";
        }

        _documents.Add(doc);
        return this;
    }

    /// <summary>Adds any YAML document (a Secret, a Service, a policy of another kind).</summary>
    public PolicyScenario Add(string yaml)
    {
        _documents.Add(yaml);
        return this;
    }

    public static string Gateway(string? section = null) =>
        "{ group: gateway.networking.k8s.io, kind: Gateway, name: gw" + (section is null ? "" : $", sectionName: {section}") + " }";

    public static string Route(string? rule = null) =>
        "{ group: gateway.networking.k8s.io, kind: HTTPRoute, name: api" + (rule is null ? "" : $", sectionName: {rule}") + " }";

    public TranslationResult Translate() => GatewayApiTranslator.Translate(Resources());

    /// <summary>The scenario's resources, for tests that add resources of their own before translating.</summary>
    public ResourceSet Resources(params KubernetesResource[] extra)
    {
        var read = ResourceFileReader.Read("scenario.yaml", string.Join("\n---\n", _documents));
        return ResourceSet.From(read.Resources.Concat(extra), read.Warnings);
    }
}

internal static class ResultExtensions
{
    /// <summary>The effective config of rule index <paramref name="rule"/> of route "api" on the listener at <paramref name="port"/>, as filter JSON.</summary>
    public static string? RouteConfig(this TranslationResult result, int port, int rule)
    {
        var route = result.Ir.Gateways["default/gw"].HttpListeners.Single(l => l.Port == port)
            .VirtualHosts.SelectMany(v => v.Routes)
            .Single(r => r.Name == $"httproute/default/api/rule/{rule}/match/0");
        return route.Filters.Get(IrFeatures.RateLimit) is { } config ? RateLimitConfigJson.Serialize(config) : null;
    }

    public static string? ListenerConfig(this TranslationResult result, int port)
    {
        var config = result.Ir.Gateways["default/gw"].HttpListeners.Single(l => l.Port == port).Filters.Get(IrFeatures.RateLimit);
        return config is null ? null : RateLimitConfigJson.Serialize(config);
    }

    public static IReadOnlyList<Condition> PolicyConditions(this TranslationResult result, string policy) =>
        result.Status.Policies.Single(p => p.Name == policy).Ancestors.SelectMany(a => a.Conditions).ToList();
}
