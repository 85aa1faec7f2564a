using EnvoyExt.ControlPlane.Resources;
using EnvoyExt.ControlPlane.Resources.Yaml;

namespace EnvoyExt.ControlPlane.Tests.Providers;

/// <summary>The reader's own YAML tree: large files read in pieces, duplicate keys, anchors and aliases.</summary>
public sealed class YamlTreeReadingTests
{
    // Each route is 12 lines; joined by "\n---\n" document k starts on line 13 * k + 1. 4,000 of
    // them are about 1 MB, large enough to be parsed in several pieces.
    private const int ManyRoutes = 4000;

    private static string ManyRouteDocuments(Func<int, string> route) =>
        string.Join("\n---\n", Enumerable.Range(0, ManyRoutes).Select(route));

    [Fact]
    public void LargeFileKeepsEveryDocumentInFileOrder()
    {
        var result = ResourceFileReader.Read("many.yaml", ManyRouteDocuments(k => Manifests.Route($"r{k}", port: 1000 + k)));

        Assert.Equal(ManyRoutes, result.Resources.Count);
        for (var k = 0; k < ManyRoutes; k++)
        {
            var route = Assert.IsType<HttpRoute>(result.Resources[k]);
            Assert.Equal($"r{k}", route.Metadata.Name);
            Assert.Equal(13 * k + 1, route.Origin.Line);
            Assert.Equal(1000 + k, route.Rules[0].BackendRefs[0].Port);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2500)]
    [InlineData(ManyRoutes - 1)]
    public void ErrorLineInALargeFileIsTheFileLine(int bad)
    {
        var yaml = ManyRouteDocuments(k => k == bad ? Manifests.Route($"r{k}").Replace("port: 8080", "port: eighty") : Manifests.Route($"r{k}"));

        var error = Assert.Throws<ResourceReadException>(() => ResourceFileReader.Read("many.yaml", yaml));

        Assert.Equal($"many.yaml:{13 * bad + 12}: spec.rules[0].backendRefs[0].port: expected an integer", error.Message);
    }

    [Fact]
    public void SyntaxErrorLineInALargeFileIsTheFileLine()
    {
        var bad = 3000;
        var yaml = ManyRouteDocuments(k => k == bad ? Manifests.Route($"r{k}").Replace("- name: gw", "- [name: gw") : Manifests.Route($"r{k}"));

        var error = Assert.Throws<ResourceReadException>(() => ResourceFileReader.Read("many.yaml", yaml));

        Assert.StartsWith($"many.yaml:{13 * bad + 8}: invalid YAML", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DuplicateKeyIsAnErrorAtItsLine()
    {
        var yaml = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: x\n  name: y\n";

        var error = Assert.Throws<ResourceReadException>(() => ResourceFileReader.Read("dup.yaml", yaml));

        Assert.Equal("dup.yaml:5: invalid YAML: duplicate key \"name\"", error.Message);
    }

    [Fact]
    public void AliasesReadTheirAnchoredValue()
    {
        var yaml = Manifests.Route("r1").Replace("name: r1", "name: &n r1").Replace("- name: app", "- name: *n");

        var route = Assert.IsType<HttpRoute>(Assert.Single(ResourceFileReader.Read("a.yaml", yaml).Resources));

        Assert.Equal("r1", route.Rules[0].BackendRefs[0].Name);
    }

    [Fact]
    public void AliasWithoutAnchorIsAnErrorAtItsLine()
    {
        var yaml = Manifests.Route("r1").Replace("- name: app", "- name: *missing");

        var error = Assert.Throws<ResourceReadException>(() => ResourceFileReader.Read("a.yaml", yaml));

        Assert.StartsWith("a.yaml:11: invalid YAML: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("missing", error.Message, StringComparison.Ordinal);
    }
}
