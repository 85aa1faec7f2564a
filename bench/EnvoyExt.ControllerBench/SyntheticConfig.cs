using System.Globalization;
using System.Text;

namespace EnvoyExt.ControllerBench;

/// <summary>
/// A folder of YAML shaped like a busy Gateway, for the bench command: one Gateway with a
/// Gateway-wide RateLimitPolicy, N HTTPRoutes (one rule each, 50 hostnames), a Service per 10
/// routes, and a rule-level RateLimitPolicy on every other route.
/// </summary>
internal static class SyntheticConfig
{
    public static void Write(string folder, int routes)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "00-gateway.yaml"), GatewayYaml);
        File.WriteAllText(Path.Combine(folder, "10-services.yaml"), ServicesYaml(routes));
        File.WriteAllText(Path.Combine(folder, "20-routes.yaml"), RoutesYaml(routes));
    }

    /// <summary>The GatewayClass, the Gateway and its Gateway-wide RateLimitPolicy.</summary>
    public const string GatewayYaml = """
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
              listeners: [{ name: http, port: 8080, protocol: HTTP }]
            ---
            apiVersion: gateway.envoyext.io/v1alpha1
            kind: RateLimitPolicy
            metadata: { name: gateway-default, namespace: default }
            spec:
              targetRefs: [{ group: gateway.networking.k8s.io, kind: Gateway, name: gw }]
              defaults: { rateLimit: { rules: [{ name: global, limit: { requests: 1000, unit: Second } }] } }

            """;

    /// <summary>A Service and its EndpointSlice per 10 routes.</summary>
    public static string ServicesYaml(int routes)
    {
        var inv = CultureInfo.InvariantCulture;
        var services = Math.Max(1, routes / 10);
        var sb = new StringBuilder();
        for (var s = 0; s < services; s++)
        {
            sb.Append(inv, $$"""
                apiVersion: v1
                kind: Service
                metadata: { name: svc-{{s}}, namespace: default }
                spec: { ports: [{ name: http, port: 80 }] }
                ---
                apiVersion: discovery.k8s.io/v1
                kind: EndpointSlice
                metadata: { name: svc-{{s}}-1, namespace: default, labels: { kubernetes.io/service-name: svc-{{s}} } }
                addressType: IPv4
                ports: [{ name: http, port: 8000 }]
                endpoints: [{ addresses: ["10.{{s / 250 % 250}}.{{s % 250}}.1", "10.{{s / 250 % 250}}.{{s % 250}}.2"] }]
                ---

                """);
        }

        return sb.ToString();
    }

    /// <summary>The routes, each even one followed by its rule-level RateLimitPolicy.</summary>
    public static string RoutesYaml(int routes)
    {
        var inv = CultureInfo.InvariantCulture;
        var services = Math.Max(1, routes / 10);
        var sb = new StringBuilder();
        for (var r = 0; r < routes; r++)
        {
            sb.Append(inv, $$"""
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata: { name: route-{{r}}, namespace: default }
                spec:
                  parentRefs: [{ name: gw }]
                  hostnames: ["h{{r % 50}}.example.com"]
                  rules:
                    - name: main
                      matches: [{ path: { type: PathPrefix, value: /r{{r}} } }]
                      backendRefs: [{ name: svc-{{r % services}}, port: 80 }]
                ---

                """);
            if (r % 2 == 0)
            {
                sb.Append(inv, $$"""
                    apiVersion: gateway.envoyext.io/v1alpha1
                    kind: RateLimitPolicy
                    metadata: { name: rl-{{r}}, namespace: default }
                    spec:
                      targetRefs: [{ group: gateway.networking.k8s.io, kind: HTTPRoute, name: route-{{r}}, sectionName: main }]
                      defaults:
                        rateLimit:
                          rules:
                            - name: per-user
                              clientSelectors: [{ headers: [{ name: x-user, type: Distinct }] }]
                              limit: { requests: 5, unit: Minute }
                    ---

                    """);
            }
        }

        return sb.ToString();
    }

    /// <summary>One more route; writing it is the "file change" whose propagation the bench times.</summary>
    public static void WriteExtraRoute(string folder, int generation) =>
        File.WriteAllText(Path.Combine(folder, "30-extra.yaml"), $$"""
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: { name: extra, namespace: default }
            spec:
              parentRefs: [{ name: gw }]
              rules:
                - matches: [{ path: { type: PathPrefix, value: /extra{{generation}} } }]
                  backendRefs: [{ name: svc-0, port: 80 }]

            """);
}
