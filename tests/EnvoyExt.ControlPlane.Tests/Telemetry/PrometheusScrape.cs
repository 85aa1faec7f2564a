using System.Globalization;

namespace EnvoyExt.ControlPlane.Tests;

/// <summary>
/// A parsed Prometheus text exposition: each family's TYPE and its samples with their labels, so
/// tests find a series by name and labels whatever extra labels (otel_scope_name) the exporter adds.
/// </summary>
internal sealed class PrometheusScrape
{
    private readonly Dictionary<string, string> _types = new(StringComparer.Ordinal);
    private readonly List<(string Name, Dictionary<string, string> Labels, double Value)> _samples = [];

    public static PrometheusScrape Parse(string text)
    {
        var scrape = new PrometheusScrape();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ');
                scrape._types[parts[2]] = parts[3];
                continue;
            }

            if (line.StartsWith('#'))
            {
                continue;
            }

            var brace = line.IndexOf('{', StringComparison.Ordinal);
            var space = line.LastIndexOf(' ');
            var name = brace >= 0 ? line[..brace] : line[..space];
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            if (brace >= 0)
            {
                var body = line[(brace + 1)..line.LastIndexOf('}')];
                foreach (var pair in body.Split("\",", StringSplitOptions.RemoveEmptyEntries))
                {
                    var eq = pair.IndexOf('=', StringComparison.Ordinal);
                    labels[pair[..eq]] = pair[(eq + 1)..].Trim('"');
                }
            }

            var value = line[(space + 1)..];
            scrape._samples.Add((name, labels, value switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                "NaN" => double.NaN,
                _ => double.Parse(value, CultureInfo.InvariantCulture),
            }));
        }

        return scrape;
    }

    /// <summary>The TYPE line of a family, or null when the scrape has none.</summary>
    public string? Type(string family) => _types.GetValueOrDefault(family);

    /// <summary>Family names that have a TYPE line.</summary>
    public IEnumerable<string> Families => _types.Keys;

    /// <summary>The one sample of <paramref name="name"/> carrying these labels (others allowed); fails when there is none or several.</summary>
    public double Value(string name, params (string Key, string Value)[] labels)
    {
        var matching = _samples.Where(s => s.Name == name && labels.All(l => s.Labels.GetValueOrDefault(l.Key) == l.Value)).ToList();
        Assert.True(matching.Count == 1, $"{matching.Count} samples of {name} with {string.Join(",", labels)}");
        return matching[0].Value;
    }
}
