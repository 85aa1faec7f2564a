using EnvoyExt.ControlPlane.GatewayApi;
using EnvoyExt.ControlPlane.Providers.Standalone;
using EnvoyExt.ControlPlane.XdsTranslation;

namespace EnvoyExt.ControlPlane.Tests.Xds;

/// <summary>
/// Golden translation tests. YAML cases run the whole pipeline the controller runs
/// (testdata/xds/&lt;case&gt;/input/*.yaml -> provider -> Gateway API translator -> xDS) against
/// testdata/xds/&lt;case&gt;/xds.json; IR cases (testdata/xds/ir/&lt;case&gt;) pin the xDS translator alone
/// on hand-built IR. To add a YAML case, create its input folder and run with UPDATE_GOLDEN=1.
/// </summary>
public sealed class XdsGoldenTests
{
    public static TheoryData<string> YamlCases() => new(YamlCaseNames());

    private static IEnumerable<string> YamlCaseNames() =>
        Directory.GetDirectories(RepoPaths.XdsTestData)
            .Where(d => Directory.Exists(Path.Combine(d, "input")))
            .Select(d => Path.GetFileName(d))
            .Order(StringComparer.Ordinal);

    public static TheoryData<string> IrCases() => new(GoldenCases.All.Keys);

    [Theory]
    [MemberData(nameof(YamlCases))]
    public void Yaml_input_translates_to_golden_xds(string name)
    {
        var resources = StandaloneProvider.ReadFolder(Path.Combine(RepoPaths.XdsTestData, name, "input"));
        Assert.True(resources.Problems.Count == 0, $"{name}: input has problems:\n{string.Join('\n', resources.Problems)}");
        var ir = GatewayApiTranslator.Translate(resources).Ir;
        var json = XdsJson.ToIndentedString(XdsJson.ToNode(XdsTranslator.Translate(ir)));
        Golden.AssertMatches(Path.Combine(RepoPaths.XdsTestData, name, "xds.json"), json);
    }

    [Theory]
    [MemberData(nameof(IrCases))]
    public void Hand_built_ir_translates_to_golden_xds(string name)
    {
        var json = XdsJson.ToIndentedString(XdsJson.ToNode(XdsTranslator.Translate(GoldenCases.All[name]())));
        Golden.AssertMatches(Path.Combine(RepoPaths.XdsTestData, "ir", name, "xds.json"), json);
    }

    [Fact]
    public void There_is_a_yaml_case_per_feature()
    {
        var cases = YamlCaseNames().ToHashSet();
        foreach (var feature in new[] { "basic-forward", "matches", "weighted-clusters", "redirects", "url-rewrites", "header-mutations", "mirrors", "direct-response", "rate-limit", "grpc-route", "multi-gateway" })
        {
            Assert.Contains(feature, cases);
        }
    }

    [Fact]
    public void Diff_shows_changed_lines_with_markers()
    {
        var diff = Golden.Diff("a\nb\nc\n", "a\nB\nc\n");
        Assert.Contains("- b", diff);
        Assert.Contains("+ B", diff);
        Assert.Contains("  a", diff);
    }
}
