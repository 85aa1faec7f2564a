using EnvoyExt.ControlPlane.XdsTranslation;

namespace EnvoyExt.ControlPlane.Tests.Xds;

/// <summary>IR -> xDS translation against testdata/xds/&lt;case&gt;/xds.json, one case per feature.</summary>
public sealed class XdsGoldenTests
{
    public static TheoryData<string> Cases() => new(GoldenCases.All.Keys);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Translation_matches_golden_file(string name)
    {
        var resources = XdsTranslator.Translate(GoldenCases.All[name]());
        var json = XdsJson.ToIndentedString(XdsJson.ToNode(resources));
        Golden.AssertMatches(Path.Combine(RepoPaths.XdsTestData, name, "xds.json"), json);
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
