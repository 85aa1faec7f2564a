using EnvoyExt.ControlPlane.GatewayApi;
using EnvoyExt.ControlPlane.GatewayApi.Status;
using EnvoyExt.ControlPlane.Resources;
using EnvoyExt.ControlPlane.Resources.Yaml;
using EnvoyExt.ControlPlane.Tests.Xds;

namespace EnvoyExt.ControlPlane.Tests.GatewayApi;

/// <summary>
/// Gateway API conformance manifests (testdata/conformance/upstream, unchanged) through the reader
/// and the translator: the listener and route conditions the upstream tests expect, or, for a
/// feature we do not claim, the refusal we document.
/// </summary>
public sealed class ConformanceManifestTests
{
    private const string Ns = "gateway-conformance-infra";

    private static string Folder => Path.Combine(RepoPaths.Root, "tests", "EnvoyExt.ControlPlane.Tests", "testdata", "conformance");

    [Fact]
    public void Invalid_certificate_references_fail_only_the_https_listener()
    {
        var status = Translate("gateway-invalid-tls-configuration.yaml");

        foreach (var gateway in new[] { "gateway-certificate-nonexistent-secret", "gateway-certificate-unsupported-group", "gateway-certificate-unsupported-kind", "gateway-certificate-malformed-secret" })
        {
            AssertListener(status, gateway, "https", "ResolvedRefs", "False", Reasons.InvalidCertificateRef);
            AssertListener(status, gateway, "https", "Programmed", "False", null);
            AssertListener(status, gateway, "http", "Programmed", "True", null);
            AssertRoute(status, gateway + "-control", "Accepted", "True");
        }
    }

    [Fact]
    public void Invalid_client_certificate_validation_fails_the_listeners_of_its_port()
    {
        var status = Translate("gateway-with-invalid-clientcertificate-validation.yaml");

        const string gateway = "gateway-with-invalid-client-cert-validation";
        AssertListener(status, gateway, "https", "ResolvedRefs", "True", null);
        AssertListener(status, gateway, "https", "Programmed", "True", null);
        AssertListener(status, gateway, "https-unresolved", "ResolvedRefs", "False", Reasons.InvalidCACertificateRef);
        AssertListener(status, gateway, "https-invalid-kind", "ResolvedRefs", "False", Reasons.InvalidCACertificateKind);
        AssertListener(status, gateway, "https-grant-missing", "ResolvedRefs", "False", Reasons.RefNotPermitted);
    }

    [Fact]
    public void A_tls_route_attaches_to_a_passthrough_listener()
    {
        var status = Translate("tlsroute-simple-same-namespace.yaml");

        AssertListener(status, "gateway-tlsroute", "https", "Programmed", "True", null);
        AssertRoute(status, "gateway-conformance-infra-test", "Accepted", "True");
        AssertRoute(status, "gateway-conformance-infra-test", "ResolvedRefs", "True");
    }

    [Fact]
    public void Https_and_tls_passthrough_on_one_port_is_refused_as_a_protocol_conflict_since_we_do_not_claim_it()
    {
        Assert.DoesNotContain("GatewayHTTPSListenerAndTLSPassthroughSamePort", SupportedFeatures.All);

        var status = Translate("gateway-https-and-tls-passthrough-same-port.yaml");

        foreach (var listener in new[] { "https-terminate", "tls-passthrough" })
        {
            AssertListener(status, "gateway-https-tls-passthrough-same-port", listener, "Conflicted", "True", Reasons.ProtocolConflict);
        }
    }

    [Fact]
    public void Backend_tls_policy_conflicts_keep_the_oldest_and_let_a_port_policy_stand_beside_a_service_policy()
    {
        var result = TranslateAll("backendtlspolicy-conflict-resolution.yaml");

        foreach (var accepted in new[] { "conflicted-without-section-name-1", "conflicted-with-section-name-1", "not-conflicted-with-section-name", "not-conflicted-without-section-name" })
        {
            AssertPolicy(result.Status, accepted, "Accepted", "True", Reasons.Accepted);
        }

        AssertPolicy(result.Status, "conflicted-without-section-name-2", "Accepted", "False", Reasons.Conflicted);
        AssertPolicy(result.Status, "conflicted-with-section-name-2", "Accepted", "False", Reasons.Conflicted);
        AssertRoute(result.Status, "backendtlspolicy-conflict-resolution", "ResolvedRefs", "True");
        var clusters = result.Ir.Gateways[Ns + "/same-namespace"].Clusters.ToDictionary(c => c.Name);
        Assert.Equal("other.example.com", clusters[Ns + "/backendtlspolicy-conflicted-without-section-name-test/443"].Tls!.Sni);
        Assert.Equal("other.example.com", clusters[Ns + "/backendtlspolicy-not-conflicted-test/443"].Tls!.Sni);
        Assert.Equal("abc.example.com", clusters[Ns + "/backendtlspolicy-not-conflicted-test/8443"].Tls!.Sni);
    }

    [Fact]
    public void Backend_tls_policies_without_a_usable_ca_are_refused_and_their_backends_get_no_endpoints()
    {
        var result = TranslateAll("backendtlspolicy-invalid-ca-certificate-ref.yaml");
        foreach (var policy in new[] { "nonexistent-ca-certificate-ref", "malformed-ca-certificate-ref" })
        {
            AssertPolicy(result.Status, policy, "Accepted", "False", Reasons.NoValidCACertificate);
            AssertPolicy(result.Status, policy, "ResolvedRefs", "False", Reasons.InvalidCACertificateRef);
        }

        AssertRoute(result.Status, "backendtlspolicy-invalid-ca-certificate-ref", "Accepted", "True");
        Assert.All(result.Ir.Gateways[Ns + "/same-namespace"].Clusters.Where(c => c.BackendTlsPolicy is not null), c =>
        {
            Assert.Null(c.Tls);
            Assert.Empty(c.Endpoints);
        });

        var invalidKind = TranslateAll("backendtlspolicy-invalid-kind.yaml").Status;
        AssertPolicy(invalidKind, "invalid-kind", "Accepted", "False", Reasons.NoValidCACertificate);
        AssertPolicy(invalidKind, "invalid-kind", "ResolvedRefs", "False", Reasons.InvalidKind);
    }

    [Fact]
    public void Cors_routes_are_accepted_with_their_policies()
    {
        var result = TranslateAll("httproute-cors.yaml");

        var routes = result.Ir.Gateways[Ns + "/same-namespace"].HttpListeners.SelectMany(l => l.VirtualHosts).SelectMany(v => v.Routes).ToList();
        foreach (var name in new[] { "cors-multiple-origins-methods-headers", "cors-wildcard-methods", "cors-wildcard-origin" })
        {
            AssertRoute(result.Status, name, "Accepted", "True");
            Assert.NotNull(routes.First(r => r.Name.StartsWith($"httproute/{Ns}/{name}/", StringComparison.Ordinal)).Filters.Get(Ir.IrFeatures.Cors));
        }

        var first = routes.First(r => r.Name.StartsWith($"httproute/{Ns}/cors-multiple-origins-methods-headers/", StringComparison.Ordinal)).Filters.Get(Ir.IrFeatures.Cors)!;
        Assert.Equal(["https://www.foo.com", "https://*.bar.com"], first.AllowOrigins);
        Assert.True(first.AllowCredentials);
        Assert.Equal(3600, first.MaxAgeSeconds);
    }

    [Fact]
    public void Backend_header_modifiers_reach_only_their_backend()
    {
        var result = TranslateAll("httproute-request-header-modifier-backend.yaml");

        AssertRoute(result.Status, "request-header-modifier", "Accepted", "True");
        var backends = result.Ir.Gateways[Ns + "/same-namespace"].HttpListeners.SelectMany(l => l.VirtualHosts).SelectMany(v => v.Routes)
            .Select(r => r.Action).OfType<Ir.IrForward>().SelectMany(f => f.Backends).ToList();
        Assert.Contains(backends, b => b.RequestHeaderMutations?.Any(m => m.Name == "x-header-set") == true);
        Assert.Contains(backends, b => b.RequestHeaderMutations?.Any(m => m.Name == "x-header-add") == true);
    }

    private static StatusReport Translate(string file) => TranslateAll(file).Status;

    private static TranslationResult TranslateAll(string file)
    {
        var resources = new List<KubernetesResource>();
        foreach (var (name, text) in new[]
        {
            ("base.yaml", File.ReadAllText(Path.Combine(Folder, "base.yaml"))),
            (file, File.ReadAllText(Path.Combine(Folder, "upstream", file)).Replace("{GATEWAY_CLASS_NAME}", "envoyext", StringComparison.Ordinal)),
        })
        {
            var read = ResourceFileReader.Read(name, text);
            Assert.Empty(read.Warnings);
            resources.AddRange(read.Resources);
        }

        var set = ResourceSet.From(resources, []);
        Assert.Empty(set.Problems);
        return GatewayApiTranslator.Translate(set);
    }

    private static void AssertPolicy(StatusReport status, string policy, string type, string expected, string reason)
    {
        var ancestor = Assert.Single(status.Policies.Single(p => p.Kind == "BackendTLSPolicy" && p.Namespace == Ns && p.Name == policy).Ancestors);
        Assert.Equal("same-namespace", ancestor.AncestorRef.Name);
        var condition = ancestor.Conditions.Single(c => c.Type == type);
        Assert.True(condition.Status == expected && condition.Reason == reason,
            $"{policy} {type}: expected {expected} {reason}, got {condition.Status} {condition.Reason}: {condition.Message}");
    }

    private static void AssertListener(StatusReport status, string gateway, string listener, string type, string expected, string? reason)
    {
        var condition = status.Gateways.Single(g => g.Namespace == Ns && g.Name == gateway)
            .Listeners.Single(l => l.Name == listener)
            .Conditions.Single(c => c.Type == type);
        Assert.True(condition.Status == expected && (reason is null || condition.Reason == reason),
            $"{gateway}/{listener} {type}: expected {expected} {reason}, got {condition.Status} {condition.Reason}: {condition.Message}");
    }

    private static void AssertRoute(StatusReport status, string route, string type, string expected)
    {
        var parent = Assert.Single(status.Routes.Single(r => r.Namespace == Ns && r.Name == route).Parents);
        var condition = parent.Conditions.Single(c => c.Type == type);
        Assert.True(condition.Status == expected, $"{route} {type}: expected {expected}, got {condition.Status} {condition.Reason}: {condition.Message}");
    }
}
