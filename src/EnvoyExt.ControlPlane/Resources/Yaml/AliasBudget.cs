namespace EnvoyExt.ControlPlane.Resources.Yaml;

/// <summary>
/// Bounds how much of a document may come from alias expansion, with the rule Kubernetes' own YAML
/// decoder (go-yaml, through sigs.k8s.io/yaml) applies: up to 99 % of the nodes of a small document
/// may come from aliases, falling smoothly to 10 % for documents of four million nodes and more.
/// A "billion laughs" document is tiny as text but expands to ~10^9 nodes; it is rejected as soon
/// as an alias would push the ratio over the bound, before anything walks the expansion.
/// </summary>
internal sealed class AliasBudget
{
    private const long RatioRangeLow = 400_000;
    private const long RatioRangeHigh = 4_000_000;

    /// <summary>Small documents may use aliases freely (go-yaml checks only past both thresholds).</summary>
    private const long MinAliasNodes = 100;
    private const long MinDecodedNodes = 1_000;

    /// <summary>Nodes the document expands to so far (aliases counted as the nodes they stand for).</summary>
    public long Decoded { get; private set; }

    /// <summary>Of <see cref="Decoded"/>, the nodes that came from alias expansion.</summary>
    public long FromAliases { get; private set; }

    public void Node() => Decoded++;

    /// <summary>Counts an alias expanding to <paramref name="nodes"/> nodes; false when that is excessive aliasing.</summary>
    public bool TryAlias(long nodes)
    {
        Decoded += nodes;
        FromAliases += nodes;
        return FromAliases <= MinAliasNodes || Decoded <= MinDecodedNodes || (double)FromAliases / Decoded <= AllowedRatio(Decoded);
    }

    private static double AllowedRatio(long decoded) => decoded switch
    {
        <= RatioRangeLow => 0.99,
        >= RatioRangeHigh => 0.10,
        _ => 0.99 - (0.89 * (decoded - RatioRangeLow) / (RatioRangeHigh - RatioRangeLow)),
    };
}
