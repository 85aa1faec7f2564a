using System.Runtime.CompilerServices;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace EnvoyExt.ControlPlane.Resources.Yaml;

/// <summary>
/// Builds <see cref="TreeNode"/>s from YamlDotNet's parser events, one root per document (null for
/// an empty one), lazily: the caller maps each document and drops its tree before the next is
/// built, so trees die young instead of a whole file's tree being promoted by the GC. Lines are shifted by <c>lineOffset</c> so a piece of a file reports the file's
/// lines. Throws <see cref="YamlException"/> (with piece-relative marks) for bad YAML.
/// </summary>
internal static class YamlTreeBuilder
{
    /// <summary>Far deeper than any Kubernetes object; stops hostile nesting before the stack does.</summary>
    private const int MaxDepth = 256;

    /// <summary>Mappings up to this size check keys by scanning; larger ones use a set, so the check stays linear.</summary>
    private const int ScannedKeys = 8;

    /// <param name="progress">Receives the file line of the last node started, the best position there is
    /// for the few errors YamlDotNet raises without one.</param>
    public static IEnumerable<TreeNode?> Documents(string text, int lineOffset, StrongBox<int> progress)
    {
        var parser = new Parser(new StringReader(text));
        var strings = new StringPool();
        parser.Consume<StreamStart>();
        while (parser.TryConsume<DocumentStart>(out _))
        {
            // Anchors and the alias budget are scoped to their document.
            var reader = new DocumentReader(parser, strings, lineOffset, progress);
            var root = reader.ReadNode(0, out _);
            parser.Consume<DocumentEnd>();
            yield return root is TreeScalar { Value: "" } ? null : root;
        }

        parser.Consume<StreamEnd>();
    }

    /// <summary>An anchored node with what an alias to it expands to: its node count and its height.</summary>
    private readonly record struct Anchored(TreeNode Node, long Nodes, int Height);

    private sealed class DocumentReader(Parser parser, StringPool strings, int lineOffset, StrongBox<int> progress)
    {
        private readonly Dictionary<string, Anchored> _anchors = new(StringComparer.Ordinal);
        private readonly AliasBudget _budget = new();

        /// <param name="height">Levels from this node down to its deepest leaf, aliases expanded (1 for a scalar).</param>
        public TreeNode ReadNode(int depth, out int height)
        {
            var current = parser.Current ?? throw new YamlException("unexpected end of the YAML stream");
            if (depth > MaxDepth)
            {
                throw new YamlException(current.Start, current.End, $"nested deeper than {MaxDepth} levels");
            }

            var line = (int)current.Start.Line + lineOffset;
            progress.Value = line;
            var decodedBefore = _budget.Decoded;
            TreeNode node;
            switch (current)
            {
                case AnchorAlias alias:
                    parser.MoveNext();
                    return Expand(alias, depth, out height);
                case Scalar scalar:
                    parser.MoveNext();
                    _budget.Node();
                    node = new TreeScalar(line, strings.Share(scalar.Value), scalar.Style is ScalarStyle.Plain or ScalarStyle.Any);
                    height = 1;
                    break;
                case SequenceStart:
                    parser.MoveNext();
                    _budget.Node();
                    var items = new List<TreeNode>();
                    var deepest = 0;
                    while (!parser.TryConsume<SequenceEnd>(out _))
                    {
                        items.Add(ReadNode(depth + 1, out var itemHeight));
                        deepest = Math.Max(deepest, itemHeight);
                    }

                    node = new TreeSequence(line, items);
                    height = deepest + 1;
                    break;
                case MappingStart:
                    parser.MoveNext();
                    _budget.Node();
                    node = new TreeMapping(line, ReadEntries(depth, out var entriesHeight));
                    height = entriesHeight + 1;
                    break;
                default:
                    throw new YamlException(current.Start, current.End, $"unexpected {current.GetType().Name}");
            }

            if (current is NodeEvent { Anchor.IsEmpty: false } anchored)
            {
                _anchors[anchored.Anchor.Value] = new Anchored(node, _budget.Decoded - decodedBefore, height);
            }

            return node;
        }

        /// <summary>
        /// An alias shares its anchor's node (the tree is a DAG), but everything that walks the tree
        /// walks the expansion, so expansion is what is bounded: in node count and in depth.
        /// </summary>
        private TreeNode Expand(AnchorAlias alias, int depth, out int height)
        {
            if (!_anchors.TryGetValue(alias.Value.Value, out var target))
            {
                throw new YamlException(alias.Start, alias.End, $"alias *{alias.Value.Value} names no anchor defined before it");
            }

            if (!_budget.TryAlias(target.Nodes))
            {
                throw new YamlException(alias.Start, alias.End,
                    $"excessive aliasing: alias *{alias.Value.Value} would make {_budget.FromAliases} of the document's {_budget.Decoded} nodes come from aliases");
            }

            if (depth + target.Height > MaxDepth + 1)
            {
                throw new YamlException(alias.Start, alias.End, $"alias *{alias.Value.Value} expands deeper than {MaxDepth} levels");
            }

            height = target.Height;
            return target.Node;
        }

        private List<KeyValuePair<string, TreeNode>> ReadEntries(int depth, out int height)
        {
            var entries = new List<KeyValuePair<string, TreeNode>>();
            HashSet<string>? keys = null;
            height = 0;
            while (!parser.TryConsume<MappingEnd>(out _))
            {
                var keyEvent = parser.Current!;
                if (ReadNode(depth + 1, out _) is not TreeScalar key)
                {
                    // JSON and so Kubernetes objects only have string keys.
                    throw new YamlException(keyEvent.Start, keyEvent.End, "a mapping key must be a string");
                }

                if (IsDuplicate(entries, ref keys, key.Value))
                {
                    throw new YamlException(keyEvent.Start, keyEvent.End, $"duplicate key \"{Shorten(key.Value)}\"");
                }

                entries.Add(KeyValuePair.Create(key.Value, ReadNode(depth + 1, out var valueHeight)));
                height = Math.Max(height, valueHeight);
            }

            return entries;
        }

        /// <summary>A scan for the handful of keys objects have; a set once a mapping grows, so a hostile mapping of many keys costs linear time, not quadratic.</summary>
        private static bool IsDuplicate(List<KeyValuePair<string, TreeNode>> entries, ref HashSet<string>? keys, string key)
        {
            if (keys is null && entries.Count < ScannedKeys)
            {
                foreach (var (existing, _) in entries)
                {
                    if (existing == key)
                    {
                        return true;
                    }
                }

                return false;
            }

            if (keys is null)
            {
                keys = new HashSet<string>(StringComparer.Ordinal);
                foreach (var (existing, _) in entries)
                {
                    keys.Add(existing);
                }
            }

            return !keys.Add(key);
        }

        private static string Shorten(string text) => text.Length <= 64 ? text : text[..64] + "...";
    }

    /// <summary>
    /// One instance per repeated short value ("default", "gateway.networking.k8s.io/v1", "PathPrefix"):
    /// resources keep the values for as long as they are served, and a large folder repeats the
    /// same few hundred strings tens of thousands of times.
    /// </summary>
    private sealed class StringPool
    {
        private const int MaxLength = 64;
        private const int MaxEntries = 16 * 1024;
        private readonly HashSet<string> _strings = new(StringComparer.Ordinal);

        public string Share(string value)
        {
            if (value.Length > MaxLength)
            {
                return value;
            }

            if (_strings.TryGetValue(value, out var shared))
            {
                return shared;
            }

            if (_strings.Count < MaxEntries)
            {
                _strings.Add(value);
            }

            return value;
        }
    }
}
