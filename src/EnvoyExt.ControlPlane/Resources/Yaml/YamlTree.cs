namespace EnvoyExt.ControlPlane.Resources.Yaml;

/// <summary>
/// Our own YAML node tree, built straight from parser events. YamlDotNet's representation model
/// (YamlStream) spent about 70 % of a large file's read time building nodes we only walk once
/// (per-node tags, anchors and hashed child dictionaries); this keeps what the readers need: the
/// line of every node, scalar text and whether it was plain, and keys in document order.
/// </summary>
internal abstract class TreeNode(int line)
{
    public int Line { get; } = line;
}

internal sealed class TreeScalar(int line, string value, bool plain) : TreeNode(line)
{
    public string Value { get; } = value;

    /// <summary>Unquoted: only plain scalars can be numbers, booleans or null.</summary>
    public bool Plain { get; } = plain;

    public bool IsNull => Plain && Value is "" or "~" or "null" or "Null" or "NULL";
}

/// <summary>A mapping; Kubernetes keys are strings, so keys are kept as text (order preserved, no duplicates).</summary>
internal sealed class TreeMapping(int line, List<KeyValuePair<string, TreeNode>> entries) : TreeNode(line)
{
    public IReadOnlyList<KeyValuePair<string, TreeNode>> Entries { get; } = entries;

    public TreeNode? Get(string key)
    {
        // Objects have a handful of keys: a linear scan beats building a dictionary per mapping.
        foreach (var (k, v) in entries)
        {
            if (k == key)
            {
                return v;
            }
        }

        return null;
    }
}

internal sealed class TreeSequence(int line, List<TreeNode> items) : TreeNode(line)
{
    public IReadOnlyList<TreeNode> Items { get; } = items;
}
