using EnvoyExt.ControlPlane.Resources;
using EnvoyExt.ControlPlane.Resources.Yaml;

namespace EnvoyExt.ControlPlane.Tests.Providers;

public sealed class ResourceFileReaderTests
{
    [Fact]
    public void ReadsEveryDocumentOfAMultiDocumentFile()
    {
        var result = ResourceFileReader.Read("all.yaml", Manifests.Gateway + "\n---\n" + Manifests.Route("r1") + "\n---\n");

        Assert.Collection(result.Resources,
            r => Assert.IsType<GatewayClass>(r),
            r => Assert.Equal("gw", Assert.IsType<Gateway>(r).Metadata.Name),
            r => Assert.Equal(8080, Assert.IsType<HttpRoute>(r).Rules[0].BackendRefs[0].Port));
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void ErrorNamesFileLineAndField()
    {
        var yaml = Manifests.Route("r1").Replace("port: 8080", "port: eighty");

        var error = Assert.Throws<ResourceReadException>(() => ResourceFileReader.Read("routes/api.yaml", yaml));

        Assert.Equal("routes/api.yaml:12: spec.rules[0].backendRefs[0].port: expected an integer", error.Message);
    }

    [Fact]
    public void ClientCertificateValidationIsReadWithItsPerPortOverride()
    {
        var yaml = Manifests.Gateway.Replace("  gatewayClassName: envoyext\n",
            "  gatewayClassName: envoyext\n  tls:\n    frontend:\n      default:\n        validation:\n          caCertificateRefs: [{group: \"\", kind: ConfigMap, name: ca}]\n"
            + "      perPort:\n        - port: 8443\n          tls:\n            validation:\n              mode: AllowInsecureFallback\n              caCertificateRefs: [{group: \"\", kind: Secret, name: partner, namespace: certs}]\n");
        Assert.NotEqual(Manifests.Gateway, yaml);

        var gateway = Assert.IsType<Gateway>(ResourceFileReader.Read("gw.yaml", yaml).Resources.Single(r => r is Gateway));

        var frontend = gateway.FrontendTls!;
        Assert.Equal(new ObjectReference("", "ConfigMap", "ca", null), frontend.For(8080)!.CaCertificateRefs.Single());
        Assert.Equal(ClientValidation.AllowValidOnly, frontend.For(8080)!.Mode);
        Assert.Equal(new ObjectReference("", "Secret", "partner", "certs"), frontend.For(8443)!.CaCertificateRefs.Single());
        Assert.Equal(ClientValidation.AllowInsecureFallback, frontend.For(8443)!.Mode);
    }

    [Theory]
    [InlineData("      default:\n        validation:\n          caCertificateRefs: [{group: \"\", kind: ConfigMap, name: ca}]\n          crl: [x]\n", "spec.tls.frontend.default.validation.crl")]
    [InlineData("      default:\n        validation:\n          mode: Optional\n          caCertificateRefs: [{group: \"\", kind: ConfigMap, name: ca}]\n", "spec.tls.frontend.default.validation.mode")]
    [InlineData("      default:\n        validation:\n          caCertificateRefs: []\n", "spec.tls.frontend.default.validation.caCertificateRefs")]
    [InlineData("      sni: {}\n", "spec.tls.frontend.sni")]
    public void ValidationWeCannotTranslateIsRefusedNamingTheFieldNotServedWithoutIt(string frontend, string field)
    {
        var yaml = Manifests.Gateway.Replace("  gatewayClassName: envoyext\n", "  gatewayClassName: envoyext\n  tls:\n    frontend:\n" + frontend);
        Assert.NotEqual(Manifests.Gateway, yaml);

        var error = Assert.Throws<ResourceReadException>(() => ResourceFileReader.Read("gw.yaml", yaml));

        Assert.Equal(field, error.Field);
    }

    [Fact]
    public void QuotedNumberIsNotAnInteger()
    {
        var yaml = Manifests.Route("r1").Replace("port: 8080", "port: \"8080\"");

        var error = Assert.Throws<ResourceReadException>(() => ResourceFileReader.Read("r.yaml", yaml));

        Assert.Equal("spec.rules[0].backendRefs[0].port", error.Field);
    }

    [Fact]
    public void MissingRequiredFieldIsReported()
    {
        var yaml = Manifests.Route("r1").Replace("    - name: gw\n", "    - sectionName: http\n");

        var error = Assert.Throws<ResourceReadException>(() => ResourceFileReader.Read("r.yaml", yaml));

        Assert.Equal("spec.parentRefs[0].name", error.Field);
        Assert.Contains("required", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SyntaxErrorIsReportedWithLine()
    {
        var error = Assert.Throws<ResourceReadException>(() => ResourceFileReader.Read("bad.yaml", "kind: Gateway\nmetadata: [unclosed\n"));

        Assert.StartsWith("bad.yaml:", error.Message, StringComparison.Ordinal);
        Assert.Contains("invalid YAML", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StrangeYamlShapesAreFileErrorsNotCrashes()
    {
        var yaml = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: x\n  labels:\n    ? [complex, key]\n    : value\n";

        var error = Assert.Throws<ResourceReadException>(() => ResourceFileReader.Read("odd.yaml", yaml));

        Assert.Equal("odd.yaml:6: invalid YAML: a mapping key must be a string", error.Message);
    }

    [Fact]
    public void UnknownKindsAreSkippedWithAWarning()
    {
        var yaml = "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: x\n---\n" + Manifests.Route("r1");

        var result = ResourceFileReader.Read("mixed.yaml", yaml);

        Assert.Single(result.Resources);
        Assert.Equal("mixed.yaml:1: unsupported kind v1/PersistentVolumeClaim: skipped", Assert.Single(result.Warnings));
    }

    [Fact]
    public void DefaultsFollowTheCrds()
    {
        var yaml = Manifests.Route("r1");

        var route = Assert.IsType<HttpRoute>(Assert.Single(ResourceFileReader.Read("r.yaml", yaml).Resources));

        var parent = route.ParentRefs[0];
        Assert.Equal(("gateway.networking.k8s.io", "Gateway"), (parent.Group, parent.Kind));
        var backend = route.Rules[0].BackendRefs[0];
        Assert.Equal(("", "Service", 1), (backend.Group, backend.Kind, backend.Weight));
        Assert.Equal("default", route.Metadata.Namespace);
    }

    [Fact]
    public void RateLimitDocumentKeepsYamlTypes()
    {
        var yaml = """
            apiVersion: gateway.envoyext.io/v1alpha1
            kind: RateLimitPolicy
            metadata: { name: p, namespace: default }
            spec:
              targetRefs: [{ group: gateway.networking.k8s.io, kind: Gateway, name: gw }]
              defaults:
                rateLimit:
                  rules:
                    - name: "100"
                      limit: { requests: 100, unit: Second }
                      shadowMode: true
            """;

        var policy = Assert.IsType<RateLimitPolicy>(Assert.Single(ResourceFileReader.Read("p.yaml", yaml).Resources));

        Assert.Equal("""{"rules":[{"name":"100","limit":{"requests":100,"unit":"Second"},"shadowMode":true}]}""", policy.Defaults!.ToJsonString());
        Assert.Null(policy.Overrides);
    }
}
