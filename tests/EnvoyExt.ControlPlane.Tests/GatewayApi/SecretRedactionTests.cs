using EnvoyExt.ControlPlane.Admin;
using EnvoyExt.ControlPlane.GatewayApi;
using EnvoyExt.ControlPlane.Providers.Standalone;
using EnvoyExt.ControlPlane.Resources;
using EnvoyExt.ControlPlane.Tests.Providers;
using EnvoyExt.ControlPlane.Tests.Xds;
using EnvoyExt.ControlPlane.XdsTranslation;

namespace EnvoyExt.ControlPlane.Tests.GatewayApi;

/// <summary>
/// Private keys reach Envoy (the served SDS bytes) and nothing else: not the IR or status JSON, not
/// the translate output, not the admin /snapshot dump, not a printed record or a read error.
/// </summary>
public sealed class SecretRedactionTests
{
    private static string Folder => Path.Combine(TestData.GatewayApiCases(), "https-termination");

    /// <summary>A line of each key's base64 body: long and random enough to appear only where the key was copied.</summary>
    private static List<string> KeyLines(ResourceSet resources)
    {
        var lines = resources.Secrets.Select(s => s.TlsKey!.Reveal().Split('\n')[1]).ToList();
        Assert.Equal(3, lines.Count);
        Assert.All(lines, l => Assert.True(l.Length >= 40, l.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return lines;
    }

    [Fact]
    public async Task Keys_are_served_to_envoy_and_redacted_everywhere_else()
    {
        var resources = StandaloneProvider.ReadFolder(Folder);
        var keys = KeyLines(resources);
        var result = GatewayApiTranslator.Translate(resources);
        var xds = XdsTranslator.Translate(result.Ir);

        var served = string.Concat(xds["default/gw"].Secrets.Select(s => s.Packed.Value.ToStringUtf8()));
        Assert.All(keys, k => Assert.Contains(k, served, StringComparison.Ordinal));

        await using var server = await AdsServerFixture.StartAsync(result.Ir);
        var views = new Dictionary<string, string>
        {
            ["IR and status JSON"] = TranslationJson.Serialize(result),
            ["translate output"] = XdsJson.ToIndentedString(XdsJson.ToNode(xds)),
            ["admin /snapshot"] = AdminDocuments.Indented(AdminDocuments.Snapshot(server.Cache)),
            ["Secret records"] = string.Join('\n', resources.Secrets.Select(s => s.ToString())),
            ["IR secrets"] = string.Join('\n', result.Ir.Gateways.Values.SelectMany(g => g.Secrets!).Select(s => s.ToString())),
        };
        Assert.Contains("[redacted]", views["admin /snapshot"], StringComparison.Ordinal);
        foreach (var (view, text) in views)
        {
            Assert.All(keys, k => Assert.False(text.Contains(k, StringComparison.Ordinal), $"{view} shows a private key"));
            Assert.DoesNotContain("PRIVATE KEY", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_key_that_is_not_base64_is_reported_by_field_without_its_value()
    {
        using var folder = new TempFolder();
        folder.Write("secret.yaml", """
            apiVersion: v1
            kind: Secret
            metadata:
              name: broken
              namespace: default
            type: kubernetes.io/tls
            data:
              tls.crt: Y2VydA==
              tls.key: not*base64*secret-material
            """);
        var resources = StandaloneProvider.ReadFolder(folder.Path);
        var problem = Assert.Single(resources.Problems);
        Assert.Contains("data.tls.key", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-material", problem, StringComparison.Ordinal);
        Assert.Empty(resources.Secrets);
    }
}
