using EnvoyExt.ControlPlane.GatewayApi;
using EnvoyExt.ControlPlane.Resources;
using EnvoyExt.ControlPlane.Resources.Yaml;

namespace EnvoyExt.ControlPlane.Tests.GatewayApi;

/// <summary>
/// "Nothing crashes": every golden input, damaged in many small ways (lines dropped, duplicated,
/// values swapped for lists, maps, numbers or junk), must either be read or be rejected with a
/// ResourceReadException, and whatever is read must translate and serialize. The seed is fixed
/// so a failure reproduces.
/// </summary>
public sealed class MutatedInputTests
{
    private static readonly string[] Replacements = ["[]", "{}", "-1", "0", "99999999999", "\"\"", "~", "[a, b]", "{ a: b }", "*", "/", "true", "\"x\\u0000y\""];

    [Fact]
    public void DamagedInputsNeverCrashTheReaderOrTheTranslator()
    {
        var random = new Random(20261127);
        var files = Directory.GetDirectories(TestData.GatewayApiCases())
            .SelectMany(d => Directory.GetFiles(d, "*.yaml"))
            .Order(StringComparer.Ordinal)
            .ToList();
        var read = 0;
        var rejected = 0;
        foreach (var file in files)
        {
            var lines = File.ReadAllLines(file);
            for (var attempt = 0; attempt < 40; attempt++)
            {
                var mutated = Mutate(lines, random);
                FileReadResult result;
                try
                {
                    result = ResourceFileReader.Read(Path.GetFileName(file), string.Join('\n', mutated));
                    read++;
                }
                catch (ResourceReadException)
                {
                    rejected++;
                    continue;
                }

                var translated = GatewayApiTranslator.Translate(ResourceSet.From(result.Resources, result.Warnings));
                Assert.NotNull(TranslationJson.Serialize(translated));
            }
        }

        // Both paths must have been exercised, or the mutations are too weak (or too strong) to mean anything.
        Assert.True(read > 100, $"only {read} mutated files were readable");
        Assert.True(rejected > 100, $"only {rejected} mutated files were rejected");
    }

    private static string[] Mutate(string[] lines, Random random)
    {
        var result = lines.ToList();
        var edits = 1 + random.Next(3);
        for (var e = 0; e < edits && result.Count > 0; e++)
        {
            var i = random.Next(result.Count);
            switch (random.Next(4))
            {
                case 0:
                    result.RemoveAt(i);
                    break;
                case 1:
                    result.Insert(i, result[i]);
                    break;
                case 2:
                    var colon = result[i].IndexOf(": ", StringComparison.Ordinal);
                    if (colon > 0)
                    {
                        result[i] = result[i][..(colon + 2)] + Replacements[random.Next(Replacements.Length)];
                    }

                    break;
                default:
                    var digits = result[i].ToCharArray();
                    for (var c = 0; c < digits.Length; c++)
                    {
                        if (char.IsDigit(digits[c]))
                        {
                            digits[c] = (char)('0' + random.Next(10));
                        }
                    }

                    result[i] = new string(digits);
                    break;
            }
        }

        return result.ToArray();
    }
}
