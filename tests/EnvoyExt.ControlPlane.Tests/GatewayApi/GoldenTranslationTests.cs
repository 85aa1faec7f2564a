using System.Runtime.CompilerServices;
using EnvoyExt.ControlPlane.GatewayApi;
using EnvoyExt.ControlPlane.Providers.Standalone;

namespace EnvoyExt.ControlPlane.Tests.GatewayApi;

/// <summary>
/// Golden tests: every folder under testdata/gatewayapi/ is a case. Its YAML files are the input;
/// expected.json is the IR and status the translator must produce. To add a case, create a folder
/// with YAML and run with UPDATE_GOLDEN=1, then review expected.json before committing it.
/// </summary>
public sealed class GoldenTranslationTests
{
    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var dir in Directory.GetDirectories(TestData.GatewayApiCases()).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(dir));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void TranslationMatchesGolden(string caseName)
    {
        var folder = Path.Combine(TestData.GatewayApiCases(), caseName);
        var resources = StandaloneProvider.ReadFolder(folder);
        var actual = TranslationJson.Serialize(GatewayApiTranslator.Translate(resources)) + "\n";
        var expectedPath = Path.Combine(folder, "expected.json");

        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(expectedPath, actual);
            return;
        }

        Assert.True(File.Exists(expectedPath), $"{expectedPath} is missing; run with UPDATE_GOLDEN=1 to create it");
        var expected = File.ReadAllText(expectedPath);
        if (expected != actual)
        {
            Assert.Fail($"golden mismatch for {caseName} (UPDATE_GOLDEN=1 regenerates):\n{LineDiff.Describe(expected, actual)}");
        }
    }

    [Fact]
    public void TranslationIsDeterministic()
    {
        foreach (var dir in Directory.GetDirectories(TestData.GatewayApiCases()))
        {
            var resources = StandaloneProvider.ReadFolder(dir);
            var first = TranslationJson.Serialize(GatewayApiTranslator.Translate(resources));
            var second = TranslationJson.Serialize(GatewayApiTranslator.Translate(resources));
            Assert.Equal(first, second);
        }
    }
}

internal static class TestData
{
    /// <summary>The source folder (not bin/), so UPDATE_GOLDEN writes where git sees it.</summary>
    public static string GatewayApiCases([CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", "testdata", "gatewayapi"));
}

/// <summary>A line diff (longest common subsequence), enough to see what changed without external tools.</summary>
internal static class LineDiff
{
    public static string Describe(string expected, string actual, int maxLines = 80)
    {
        var e = expected.Split('\n');
        var a = actual.Split('\n');
        var lcs = new int[e.Length + 1, a.Length + 1];
        for (var i = e.Length - 1; i >= 0; i--)
        {
            for (var j = a.Length - 1; j >= 0; j--)
            {
                lcs[i, j] = e[i] == a[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }

        var output = new System.Text.StringBuilder();
        int x = 0, y = 0, lines = 0;
        while ((x < e.Length || y < a.Length) && lines < maxLines)
        {
            if (x < e.Length && y < a.Length && e[x] == a[y])
            {
                x++;
                y++;
            }
            else if (x < e.Length && (y == a.Length || lcs[x + 1, y] >= lcs[x, y + 1]))
            {
                output.Append($"- {x + 1,5}: {e[x++]}\n");
                lines++;
            }
            else
            {
                output.Append($"+ {y + 1,5}: {a[y++]}\n");
                lines++;
            }
        }

        return output.ToString();
    }
}
