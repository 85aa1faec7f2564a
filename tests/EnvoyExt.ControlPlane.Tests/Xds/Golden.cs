using System.Text;

namespace EnvoyExt.ControlPlane.Tests.Xds;

/// <summary>
/// Compares produced text with a golden file. UPDATE_GOLDEN=1 rewrites the file instead; otherwise
/// any difference fails the test and the message carries a line diff.
/// </summary>
internal static class Golden
{
    public static bool Updating => Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1";

    public static void AssertMatches(string path, string actual)
    {
        if (Updating)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, actual);
            return;
        }
        Assert.True(File.Exists(path), $"golden file {path} is missing; run the tests with UPDATE_GOLDEN=1 to create it");
        var expected = File.ReadAllText(path);
        if (expected != actual)
        {
            Assert.Fail($"{path} differs from the translation (- expected, + actual); UPDATE_GOLDEN=1 accepts the new output:\n{Diff(expected, actual)}");
        }
    }

    /// <summary>Line diff (longest common subsequence), unchanged lines shown only around changes.</summary>
    public static string Diff(string expected, string actual)
    {
        var a = expected.Split('\n');
        var b = actual.Split('\n');
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
        {
            for (var j = b.Length - 1; j >= 0; j--)
            {
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }
        var lines = new List<(char Op, string Text)>();
        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y])
            {
                lines.Add((' ', a[x++]));
                y++;
            }
            else if (y < b.Length && (x == a.Length || lcs[x, y + 1] >= lcs[x + 1, y]))
            {
                lines.Add(('+', b[y++]));
            }
            else
            {
                lines.Add(('-', a[x++]));
            }
        }
        const int context = 3;
        var sb = new StringBuilder();
        var lastPrinted = -1;
        for (var k = 0; k < lines.Count; k++)
        {
            var near = Enumerable.Range(Math.Max(0, k - context), Math.Min(lines.Count, k + context + 1) - Math.Max(0, k - context))
                .Any(n => lines[n].Op != ' ');
            if (!near)
            {
                continue;
            }
            if (lastPrinted >= 0 && k > lastPrinted + 1)
            {
                sb.Append("...\n");
            }
            sb.Append(lines[k].Op).Append(' ').Append(lines[k].Text).Append('\n');
            lastPrinted = k;
        }
        return sb.ToString();
    }
}
