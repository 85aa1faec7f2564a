using System.Text;
using EnvoyExt.ControlPlane.Providers.Standalone;
using EnvoyExt.ControlPlane.Resources;
using EnvoyExt.ControlPlane.Resources.Yaml;
using EnvoyExt.ControlPlane.Tests.Providers;

namespace EnvoyExt.ControlPlane.Tests.Hostile;

/// <summary>YAML that expands, repeats or grows without bound is refused with its file and line; the rest of the folder still reads.</summary>
public sealed class YamlBoundsTests
{
    /// <summary>"Billion laughs": nine levels of nine aliases each, ~4e8 nodes from a few hundred bytes.</summary>
    internal static string BillionLaughs(string name)
    {
        var text = new StringBuilder($"apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: {name}\nspec:\n  hostnames: &l0 [a, a, a, a, a, a, a, a, a]\n  x:\n");
        for (var i = 1; i <= 9; i++)
        {
            text.Append($"    l{i}: &l{i} [{string.Join(", ", Enumerable.Repeat($"*l{i - 1}", 9))}]\n");
        }
        return text.ToString();
    }

    [Fact]
    public void BillionLaughsIsRejectedWithFileAndLineAndTheFolderStillTranslates()
    {
        using var folder = new TempFolder();
        folder.Write("gateway.yaml", Manifests.Gateway);
        folder.Write("route.yaml", Manifests.Route("good"));
        folder.Write("laughs.yaml", BillionLaughs("bomb"));

        var resources = StandaloneProvider.ReadFolder(folder.Path);

        Assert.Equal("good", Assert.Single(resources.HttpRoutes).Metadata.Name);
        Assert.Single(resources.Gateways);
        var problem = Assert.Single(resources.Problems);
        Assert.StartsWith("laughs.yaml:", problem, StringComparison.Ordinal);
        Assert.Contains("excessive aliasing", problem, StringComparison.Ordinal);
        Assert.True(problem.Length < 400, problem);
    }

    [Fact]
    public void AnAliasExpandingBeyondTheDepthLimitIsRejected()
    {
        var deep = string.Concat(Enumerable.Repeat("[", 200)) + "x" + string.Concat(Enumerable.Repeat("]", 200));
        var yaml = $"a: &deep {deep}\nb: {string.Concat(Enumerable.Repeat("[", 70))}*deep{string.Concat(Enumerable.Repeat("]", 70))}\n";

        var error = Assert.Throws<ResourceReadException>(() => ResourceFileReader.Read("deep.yaml", yaml));

        Assert.Equal(2, error.Line);
        Assert.Contains("expands deeper than", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ModestAliasesStillRead()
    {
        var yaml = Manifests.Route("r1").Replace("    - backendRefs:\n        - name: app\n          port: 8080",
            "    - backendRefs: &backends\n        - name: app\n          port: 8080\n    - backendRefs: *backends", StringComparison.Ordinal);

        var route = Assert.IsType<HttpRoute>(Assert.Single(ResourceFileReader.Read("r.yaml", yaml).Resources));

        Assert.Equal(2, route.Rules.Count);
        Assert.Equal(8080, route.Rules[1].BackendRefs[0].Port);
    }

    [Fact]
    public void DuplicateKeyInALargeMappingIsFoundWithItsLine()
    {
        var labels = new StringBuilder();
        for (var i = 0; i < 5000; i++)
        {
            labels.Append($"    k{i}: v\n");
        }
        labels.Append("    k17: again\n");
        var yaml = $"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: n\n  labels:\n{labels}";

        var error = Assert.Throws<ResourceReadException>(() => ResourceFileReader.Read("ns.yaml", yaml));

        Assert.Equal(5006, error.Line);
        Assert.Contains("duplicate key \"k17\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WarningsPerFileAreCapped()
    {
        var documents = Enumerable.Range(0, 50).Select(i => $"apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: c{i}\n");

        var result = ResourceFileReader.Read("many.yaml", string.Join("---\n", documents));

        Assert.Equal(ResourceFileReader.MaxWarningsPerFile + 1, result.Warnings.Count);
        Assert.Equal("many.yaml: 40 more documents of unsupported kinds skipped", result.Warnings[^1]);
    }

    [Fact]
    public void HugeValuesAreNotRepeatedInFullInMessages()
    {
        var yaml = Manifests.Route("r1").Replace("    - backendRefs:",
            $"    - filters: [{{ type: URLRewrite, urlRewrite: {{ path: {{ type: {new string('T', 100_000)} }} }} }}]\n      backendRefs:", StringComparison.Ordinal);

        var error = Assert.Throws<ResourceReadException>(() => ResourceFileReader.Read("r.yaml", yaml));

        Assert.Equal("spec.rules[0].filters[0].urlRewrite.path.type", error.Field);
        Assert.True(error.Message.Length < 1000, $"message of {error.Message.Length} characters");
    }
}
