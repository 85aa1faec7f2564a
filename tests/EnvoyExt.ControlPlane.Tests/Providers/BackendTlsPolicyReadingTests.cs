using EnvoyExt.ControlPlane.Resources;
using EnvoyExt.ControlPlane.Resources.Yaml;

namespace EnvoyExt.ControlPlane.Tests.Providers;

/// <summary>BackendTLSPolicy from YAML: what is read, and what is refused naming the field (never served with a weaker check).</summary>
public sealed class BackendTlsPolicyReadingTests
{
    /// <param name="validation">The lines under spec.validation, each indented by four spaces.</param>
    private static string Policy(string validation) =>
        "apiVersion: gateway.networking.k8s.io/v1\nkind: BackendTLSPolicy\nmetadata:\n  name: p\n  namespace: apps\nspec:\n"
        + "  targetRefs: [{ group: \"\", kind: Service, name: api, sectionName: https }]\n  validation:\n" + validation + "\n";

    private static ResourceReadException Refused(string yaml) => Assert.Throws<ResourceReadException>(() => ResourceFileReader.Read("p.yaml", yaml));

    [Fact]
    public void EveryFieldIsRead()
    {
        var yaml = Policy("""
                caCertificateRefs: [{ group: "", kind: ConfigMap, name: ca }]
                hostname: api.example.com
                subjectAltNames:
                  - { type: Hostname, hostname: api.internal }
                  - { type: URI, uri: "spiffe://cluster.local/ns/apps/sa/api" }
            """);
        var policy = Assert.IsType<BackendTlsPolicy>(Assert.Single(ResourceFileReader.Read("p.yaml", yaml).Resources));

        Assert.Equal(new PolicyTargetReference("", "Service", "api", "https"), Assert.Single(policy.TargetRefs));
        Assert.Equal(new ObjectReference("", "ConfigMap", "ca", null), Assert.Single(policy.CaCertificateRefs));
        Assert.Null(policy.WellKnownCaCertificates);
        Assert.Equal("api.example.com", policy.Hostname);
        Assert.Equal([new SubjectAltName("Hostname", "api.internal"), new SubjectAltName("URI", "spiffe://cluster.local/ns/apps/sa/api")], policy.SubjectAltNames);
    }

    [Fact]
    public void BothOrNeitherTrustSourceIsRefused()
    {
        var both = Refused(Policy("""
                caCertificateRefs: [{ group: "", kind: ConfigMap, name: ca }]
                wellKnownCACertificates: System
                hostname: api.example.com
            """));
        Assert.Contains("caCertificateRefs", both.Message, StringComparison.Ordinal);
        Assert.Contains("exactly one", both.Message, StringComparison.Ordinal);

        var neither = Refused(Policy("""
                hostname: api.example.com
            """));
        Assert.Contains("exactly one", neither.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownValidationFieldIsRefusedNamingIt()
    {
        var error = Refused(Policy("""
                wellKnownCACertificates: System
                hostname: api.example.com
                skipVerify: true
            """));
        Assert.Contains("skipVerify", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownSanTypeIsRefusedNamingIt()
    {
        var error = Refused(Policy("""
                wellKnownCACertificates: System
                hostname: api.example.com
                subjectAltNames: [{ type: Email, hostname: a@example.com }]
            """));
        Assert.Contains("type", error.Message, StringComparison.Ordinal);
        Assert.Contains("Email", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MoreSubjectAltNamesThanTheCrdAllowsAreRefused()
    {
        var names = string.Concat(Enumerable.Range(0, 6).Select(i => $"\n      - {{ type: Hostname, hostname: n{i}.example.com }}"));
        var error = Refused(Policy("    wellKnownCACertificates: System\n    hostname: api.example.com\n    subjectAltNames:" + names));
        Assert.Contains("spec.validation.subjectAltNames", error.Message, StringComparison.Ordinal);
    }
}
