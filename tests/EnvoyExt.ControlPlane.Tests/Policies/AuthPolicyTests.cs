using EnvoyExt.ControlPlane.GatewayApi;
using EnvoyExt.ControlPlane.GatewayApi.Status;
using EnvoyExt.ControlPlane.Ir;
using EnvoyExt.ControlPlane.XdsTranslation;
using EnvoyExt.Filters.Auth.Config;

namespace EnvoyExt.ControlPlane.Tests.Policies;

/// <summary>
/// AuthPolicy through the attachment engine: sections merged by precedence, Secrets served over SDS
/// in the auth filter's format, Services as clusters, status naming the missing reference, and the
/// filter instances and their order in the xDS chain.
/// </summary>
public sealed class AuthPolicyTests
{
    private const string ApiKeyValue = "key-3c9e1a7f52d04b68";

    private const string Secrets = $$"""
        apiVersion: v1
        kind: Secret
        metadata: { name: api-keys, namespace: default }
        stringData: { job: {{ApiKeyValue}}, admin: other-9f8e7d6c }
        ---
        apiVersion: v1
        kind: Secret
        metadata: { name: users, namespace: default }
        stringData: { .htpasswd: "alice:{SHA}qUqP5cyxm6YcTAhz05Hph5gvu9M=" }
        ---
        apiVersion: v1
        kind: Service
        metadata: { name: authz, namespace: default }
        spec: { ports: [{ port: 9000 }] }
        """;

    private static string AuthPolicy(string name, string target, string block, string kind = "defaults") => $$"""
        apiVersion: gateway.envoyext.io/v1alpha1
        kind: AuthPolicy
        metadata: { name: {{name}}, namespace: default }
        spec:
          targetRefs: [{{target}}]
          {{kind}}: {{block}}
        """;

    private static TranslationResult Translate(params string[] documents)
    {
        var scenario = new PolicyScenario().Add(Secrets);
        foreach (var document in documents)
        {
            scenario.Add(document);
        }

        return scenario.Translate();
    }

    private static IrRoute Route(TranslationResult result, int rule, int port = 8080) =>
        result.Ir.Gateways["default/gw"].HttpListeners.Single(l => l.Port == port)
            .VirtualHosts.SelectMany(v => v.Routes).Single(r => r.Name == $"httproute/default/api/rule/{rule}/match/0");

    private static Condition Accepted(TranslationResult result, string policy) =>
        result.PolicyConditions(policy).Single(c => c.Type == "Accepted");

    [Fact]
    public void ApiKeysAreServedAsAGenericSecretInTheFiltersFormatAndNeverShown()
    {
        var result = Translate(AuthPolicy("keys", PolicyScenario.Route("orders"),
            "{ authentication: { apiKey: { secretRef: { name: api-keys }, clientIdHeader: x-client-id } } }"));

        Assert.Equal(Reasons.Accepted, Accepted(result, "keys").Reason);
        var auth = Route(result, 0).Filters.Get(IrFeatures.Auth);
        Assert.NotNull(auth);
        Assert.Equal("auth-api-keys/default/api-keys", auth.Config.ApiKey!.Secret);
        Assert.Equal("default/keys", auth.Config.Name);
        Assert.Null(Route(result, 1).Filters.Get(IrFeatures.Auth));

        var secret = Assert.Single(result.Ir.Gateways["default/gw"].GenericSecrets!);
        Assert.Equal($"admin:other-9f8e7d6c\njob:{ApiKeyValue}\n", secret.Value.Reveal());
        var xds = XdsTranslator.Translate(result.Ir);
        var served = Envoy.Extensions.TransportSockets.Tls.V3.Secret.Parser.ParseFrom(Assert.Single(xds["default/gw"].Secrets).Packed.Value);
        Assert.Equal(secret.Value.Reveal(), served.GenericSecret.Secret.InlineString);
        Assert.DoesNotContain(ApiKeyValue, TranslationJson.Serialize(result), StringComparison.Ordinal);
        Assert.DoesNotContain(ApiKeyValue, XdsJson.ToIndentedString(XdsJson.ToNode(xds)), StringComparison.Ordinal);
    }

    [Fact]
    public void SectionsMergeByPrecedenceAndAnOverrideWins()
    {
        var result = Translate(
            AuthPolicy("platform", PolicyScenario.Gateway(), "{ authentication: { basicAuth: { secretRef: { name: users }, userHeader: x-user } } }"),
            AuthPolicy("orders-rules", PolicyScenario.Route("orders"),
                "{ authorization: { defaultAction: deny, rules: [{ name: get-only, action: allow, methods: [GET] }] } }"),
            AuthPolicy("health-open", PolicyScenario.Route("health"), "{ disabled: true }"),
            AuthPolicy("platform-authz", PolicyScenario.Gateway("internal"),
                "{ extAuth: { protocol: GRPC, backendRef: { name: authz, port: 9000 }, timeout: 250ms, failOpen: false } }", "overrides"));

        // Orders: the Gateway's basic auth plus the route's rules.
        var orders = Route(result, 0).Filters.Get(IrFeatures.Auth)!.Config;
        Assert.Equal("auth-htpasswd/default/users", orders.BasicAuth!.Secret);
        Assert.Equal("get-only", Assert.Single(orders.Authorization!.Rules!).Name);
        Assert.Equal("default/platform", orders.Name);

        // Health opts out of the defaults; the catch-all keeps the Gateway's alone.
        Assert.Null(Route(result, 1).Filters.Get(IrFeatures.Auth));
        Assert.Null(Route(result, 2).Filters.Get(IrFeatures.Auth)!.Config.Authorization);

        // The internal listener's override adds ext_auth over HTTP/2 everywhere under it, even on health.
        Assert.Null(Route(result, 0).Filters.Get(IrFeatures.ExtAuth));
        var extAuth = Route(result, 1, port: 9090).Filters.Get(IrFeatures.ExtAuth);
        Assert.NotNull(extAuth);
        Assert.Equal(("grpc", 250, "default/authz/9000"), (extAuth.Config.Protocol, extAuth.Config.TimeoutMs, extAuth.Cluster));
        Assert.Equal(IrUpstreamProtocol.Http2, result.Ir.Gateways["default/gw"].Clusters.Single(c => c.Name == "default/authz/9000").Protocol);
        Assert.All(["platform", "orders-rules", "health-open", "platform-authz"], p => Assert.Equal(Reasons.Accepted, Accepted(result, p).Reason));
    }

    [Theory]
    [InlineData("{ authentication: { apiKey: { secretRef: { name: absent } } } }",
        "spec.defaults.authentication.apiKey.secretRef: Secret default/absent does not exist")]
    [InlineData("{ authentication: { apiKey: { secretRef: { name: keys, namespace: vault } } } }",
        "spec.defaults.authentication.apiKey.secretRef: Secret vault/keys is in another namespace and no ReferenceGrant there allows it")]
    [InlineData("{ authentication: { basicAuth: { secretRef: { name: api-keys } } } }",
        "spec.defaults.authentication.basicAuth.secretRef: Secret default/api-keys has no non-empty \".htpasswd\" entry")]
    [InlineData("{ extAuth: { protocol: HTTP, backendRef: { name: nowhere, port: 80 } } }",
        "spec.defaults.extAuth.backendRef: Service default/nowhere does not exist")]
    [InlineData("{ extAuth: { protocol: HTTP, backendRef: { name: authz, port: 81 } } }",
        "spec.defaults.extAuth.backendRef.port: Service default/authz has no port 81")]
    [InlineData("{ authentication: { jwt: { jwks: { remote: { uri: \"http://idp.example/keys\", backendRef: { name: idp, port: 80 } } } } } }",
        "spec.defaults.authentication.jwt.jwks.remote.backendRef: Service default/idp does not exist")]
    public void AMissingReferenceMakesThePolicyInvalidNamingTheField(string block, string message)
    {
        var result = Translate(AuthPolicy("broken", PolicyScenario.Route("orders"), block));

        var condition = Accepted(result, "broken");
        Assert.Equal((Reasons.Invalid, message), (condition.Reason, condition.Message));
        Assert.Null(Route(result, 0).Filters.Get(IrFeatures.Auth));
        Assert.Null(result.Ir.Gateways["default/gw"].GenericSecrets);
    }

    [Theory]
    [InlineData("{ authentication: { combine: some, apiKey: { secretRef: { name: api-keys } } } }", "spec.defaults.authentication.combine:")]
    [InlineData("{ authentication: { apiKey: { secretRef: { name: api-keys }, clientIdHeader: \"bad header\" } } }", "spec.defaults.authentication.apiKey.clientIdHeader:")]
    [InlineData("{ authentication: { jwt: { jwks: { inline: \"{\\\"keys\\\":[{\\\"kty\\\":\\\"oct\\\",\\\"k\\\":\\\"AA\\\"}]}\" } } } }", "spec.defaults.authentication.jwt.jwks.inline: keys[0]: symmetric")]
    [InlineData("{ authentication: { jwt: { jwks: { remote: { uri: \"ftp://idp.example/keys\", backendRef: { name: authz, port: 9000 } } } } } }", "spec.defaults.authentication.jwt.jwks.remote.uri:")]
    [InlineData("{ authentication: { jwt: { jwks: { remote: { uri: \"https://10.0.0.1/keys\", backendRef: { name: authz, port: 9000 } } } } } }", "spec.defaults.authentication.jwt.jwks.remote.uri: an https:// URL needs a host name")]
    [InlineData("{ authentication: { jwt: { jwks: { remote: { uri: \"https://idp.example/keys\", backendRef: { name: authz, port: 9000 }, caCertificateRefs: [{ kind: ConfigMap, name: absent }] } } } } }",
        "spec.defaults.authentication.jwt.jwks.remote.caCertificateRefs[0]: ConfigMap default/absent does not exist")]
    [InlineData("{ authentication: { jwt: { jwks: { remote: { uri: \"https://idp.example/keys\", backendRef: { name: authz, port: 9000 }, caCertificateRefs: [{ kind: Service, name: authz }] } } } } }",
        "spec.defaults.authentication.jwt.jwks.remote.caCertificateRefs[0]: kind Service")]
    [InlineData("{ authentication: { jwt: { jwks: { remote: { uri: \"http://idp.example/keys\", backendRef: { name: authz, port: 9000 }, caCertificateRefs: [{ kind: ConfigMap, name: ca }] } } } } }",
        "spec.defaults.authentication.jwt.jwks.remote.caCertificateRefs: only for an https:// uri")]
    [InlineData("{ extAuth: { protocol: GRPC, path: /check, backendRef: { name: authz, port: 9000 } } }", "spec.defaults.extAuth.path: only for protocol HTTP")]
    [InlineData("{ extAuth: { protocol: HTTP, timeout: soon, backendRef: { name: authz, port: 9000 } } }", "spec.defaults.extAuth.timeout:")]
    [InlineData("{ authorization: { rules: [{ action: maybe }] } }", "spec.defaults.authorization.rules[0].action:")]
    [InlineData("{ disabled: true, authentication: { apiKey: { secretRef: { name: api-keys } } } }", "spec.defaults.disabled: must be the only field")]
    [InlineData("{ authentication: { apiKey: { secretRef: { name: api-keys } }, unknown: 1 } }", "spec.defaults.authentication.unknown:")]
    [InlineData("{ }", "spec.defaults: at least one of extAuth, authentication, authorization")]
    public void AnInvalidBlockIsRejectedNamingTheField(string block, string messageStart)
    {
        var result = Translate(AuthPolicy("bad", PolicyScenario.Route("orders"), block));

        var condition = Accepted(result, "bad");
        Assert.Equal(Reasons.Invalid, condition.Reason);
        Assert.StartsWith(messageStart, condition.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnHttpsJwksGetsATlsClusterOfItsOwnUnlessABackendTlsPolicyCoversThePort()
    {
        const string block = "{ authentication: { jwt: { jwks: { remote: { uri: \"https://idp.example/keys\", backendRef: { name: authz, port: 9000 } } } } } }";
        const string backendTls = """
            apiVersion: gateway.networking.k8s.io/v1
            kind: BackendTLSPolicy
            metadata: { name: authz-tls, namespace: default }
            spec:
              targetRefs: [{ group: "", kind: Service, name: authz }]
              validation: { wellKnownCACertificates: System, hostname: authz.internal }
            """;

        var own = Translate(AuthPolicy("jwks", PolicyScenario.Route("orders"), block)).Ir.Gateways["default/gw"].Clusters;
        var covered = Translate(AuthPolicy("jwks", PolicyScenario.Route("orders"), block), backendTls).Ir.Gateways["default/gw"].Clusters;

        var tls = Assert.Single(own, c => c.Name == "default/authz/9000/tls/default/jwks").Tls!;
        Assert.Equal("idp.example", tls.Sni);
        Assert.Equal("/etc/ssl/certs/ca-certificates.crt", tls.Validation.TrustedCaFile);
        Assert.Equal([new IrSubjectAltName(SubjectAltNameKind.Dns, "idp.example")], tls.Validation.SubjectAltNames);
        Assert.DoesNotContain(covered, c => c.Name.Contains("/tls/", StringComparison.Ordinal));
        Assert.Equal("authz.internal", Assert.Single(covered, c => c.Name == "default/authz/9000").Tls?.Sni);
    }

    [Fact]
    public void AuthorizationWithoutAnyAuthenticationIsNotServed()
    {
        var result = Translate(AuthPolicy("rules-only", PolicyScenario.Route("orders"), "{ authorization: { defaultAction: deny } }"));

        var condition = Accepted(result, "rules-only");
        Assert.Equal(Reasons.Invalid, condition.Reason);
        Assert.Contains("need an authentication section", condition.Message, StringComparison.Ordinal);
        Assert.Null(Route(result, 0).Filters.Get(IrFeatures.Auth));
    }

    [Fact]
    public void EachDistinctDocumentIsOneAuthInstanceBeforeExtAuthAndRateLimit()
    {
        var result = Translate(
            AuthPolicy("keys", PolicyScenario.Route("orders"), "{ authentication: { apiKey: { secretRef: { name: api-keys } } } }"),
            AuthPolicy("users", PolicyScenario.Route("health"),
                "{ authentication: { basicAuth: { secretRef: { name: users } } }, extAuth: { protocol: HTTP, backendRef: { name: authz, port: 9000 } } }"),
            """
            apiVersion: gateway.envoyext.io/v1alpha1
            kind: RateLimitPolicy
            metadata: { name: limit, namespace: default }
            spec:
              targetRefs: [{ group: gateway.networking.k8s.io, kind: Gateway, name: gw }]
              defaults: { rateLimit: { rules: [{ limit: { requests: 5, unit: Second } }] } }
            """);

        var xds = XdsTranslator.Translate(result.Ir)["default/gw"];
        var listener = Envoy.Config.Listener.V3.Listener.Parser.ParseFrom(xds.Listeners.Single(l => l.Name.EndsWith("/public", StringComparison.Ordinal)).Packed.Value);
        var hcm = listener.FilterChains[0].Filters[0].TypedConfig.Unpack<Envoy.Extensions.Filters.Network.HttpConnectionManager.V3.HttpConnectionManager>();
        Assert.Equal(["envoyext.auth", "envoyext.auth.1", "envoyext.ext_auth", "envoyext.rate_limit", "envoy.filters.http.router"],
            hcm.HttpFilters.Select(f => f.Name));

        var routes = Envoy.Config.Route.V3.RouteConfiguration.Parser.ParseFrom(xds.Routes.Single(r => r.Name.EndsWith("/public", StringComparison.Ordinal)).Packed.Value)
            .VirtualHosts.SelectMany(v => v.Routes).ToDictionary(r => r.Name);
        var orders = routes["httproute/default/api/rule/0/match/0"].TypedPerFilterConfig;
        var health = routes["httproute/default/api/rule/1/match/0"].TypedPerFilterConfig;
        var other = routes["httproute/default/api/rule/2/match/0"].TypedPerFilterConfig;
        // Instances follow route order (the Exact /health before the /orders prefix): each route keeps
        // the listener-level document of its own instance and disables the other one.
        string[] instances = ["envoyext.auth", "envoyext.auth.1"];
        Assert.Equal(["envoyext.auth"], instances.Where(orders.ContainsKey));
        Assert.Equal(["envoyext.auth.1"], instances.Where(health.ContainsKey));
        Assert.Contains("disabled", PerRouteJson(orders["envoyext.auth"]), StringComparison.Ordinal);
        Assert.Contains("disabled", PerRouteJson(health["envoyext.auth.1"]), StringComparison.Ordinal);
        Assert.Contains("disabled", PerRouteJson(other["envoyext.auth"]), StringComparison.Ordinal);
        Assert.True(other.ContainsKey("envoyext.auth") && other.ContainsKey("envoyext.auth.1"));
    }

    [Fact]
    public void TheRulesOwnExternalAuthFilterWinsOverAPolicy()
    {
        var result = new PolicyScenario().Add(Secrets).Add("""
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: { name: checked, namespace: default }
            spec:
              parentRefs: [{ name: gw }]
              rules:
                - matches: [{ path: { type: PathPrefix, value: /checked } }]
                  filters:
                    - type: ExternalAuth
                      externalAuth: { protocol: HTTP, backendRef: { name: app, port: 80 } }
                  backendRefs: [{ name: app, port: 80 }]
            """).Add(AuthPolicy("gateway-authz", PolicyScenario.Gateway(), "{ extAuth: { protocol: GRPC, backendRef: { name: authz, port: 9000 } } }", "overrides"))
            .Translate();

        var routes = result.Ir.Gateways["default/gw"].HttpListeners.Single(l => l.Port == 8080).VirtualHosts.SelectMany(v => v.Routes).ToList();
        Assert.Equal("default/app/80", routes.Single(r => r.Name.StartsWith("httproute/default/checked/", StringComparison.Ordinal)).Filters.Get(IrFeatures.ExtAuth)!.Cluster);
        Assert.Equal("default/authz/9000", Route(result, 0).Filters.Get(IrFeatures.ExtAuth)!.Cluster);
    }

    [Fact]
    public void RoutesPastTheInstanceLimitAnswer500()
    {
        // Rules r0..r16 spread over HTTPRoutes of at most 16 rules each.
        var scenario = new PolicyScenario().Add(Secrets);
        var count = IrAuthInstances.Max + 1;
        for (var part = 0; part * 9 < count; part++)
        {
            var rules = string.Join("\n", Enumerable.Range(part * 9, Math.Min(9, count - (part * 9))).Select(i => $$"""
                    - name: r{{i}}
                      matches: [{ path: { type: PathPrefix, value: /r{{i}} } }]
                      backendRefs: [{ name: app, port: 80 }]
                """));
            scenario.Add($$"""
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata: { name: many{{part}}, namespace: default }
                spec:
                  parentRefs: [{ name: gw, sectionName: public }]
                  rules:
                {{rules}}
                """);
        }

        for (var i = 0; i <= IrAuthInstances.Max; i++)
        {
            scenario.Add(AuthPolicy($"p{i}", $"{{ group: gateway.networking.k8s.io, kind: HTTPRoute, name: many{i / 9}, sectionName: r{i} }}",
                $"{{ authentication: {{ realm: realm{i}, apiKey: {{ secretRef: {{ name: api-keys }} }} }} }}"));
        }

        var routes = scenario.Translate().Ir.Gateways["default/gw"].HttpListeners.Single(l => l.Port == 8080)
            .VirtualHosts.SelectMany(v => v.Routes).Where(r => r.Name.StartsWith("httproute/default/many", StringComparison.Ordinal)).ToList();
        Assert.Equal(IrAuthInstances.Max, routes.Count(r => r.Filters.Get(IrFeatures.Auth) is not null));
        var refused = Assert.Single(routes, r => r.Filters.Get(IrFeatures.Auth) is null);
        Assert.Equal(500, Assert.IsType<IrDirectResponse>(refused.Action).Status);
    }

    private static string PerRouteJson(Google.Protobuf.WellKnownTypes.Any any) =>
        any.Unpack<Envoy.Extensions.Filters.Http.DynamicModules.V3.DynamicModuleFilterPerRoute>().FilterConfig.Unpack<Google.Protobuf.WellKnownTypes.StringValue>().Value;
}
