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

    private static StatusReport Translate(string file)
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
        return GatewayApiTranslator.Translate(set).Status;
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
