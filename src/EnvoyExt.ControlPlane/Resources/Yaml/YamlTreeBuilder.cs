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

    /// <param name="progress">Receives the file line of the last node started, the best position there is
    /// for the few errors YamlDotNet raises without one.</param>
    public static IEnumerable<TreeNode?> Documents(string text, int lineOffset, StrongBox<int> progress)
    {
        var parser = new Parser(new StringReader(text));
        var strings = new StringPool();
        parser.Consume<StreamStart>();
        while (parser.TryConsume<DocumentStart>(out _))
        {
            // Anchors are scoped to their document.
            var anchors = new Dictionary<string, TreeNode>(StringComparer.Ordinal);
            var root = ReadNode(parser, anchors, strings, lineOffset, 0, progress);
            parser.Consume<DocumentEnd>();
            yield return root is TreeScalar { Value: "" } ? null : root;
        }

        parser.Consume<StreamEnd>();
    }

    private static TreeNode ReadNode(Parser parser, Dictionary<string, TreeNode> anchors, StringPool strings, int lineOffset, int depth, StrongBox<int> progress)
    {
        var current = parser.Current ?? throw new YamlException("unexpected end of the YAML stream");
        if (depth > MaxDepth)
        {
            throw new YamlException(current.Start, current.End, $"nested deeper than {MaxDepth} levels");
        }

        var line = (int)current.Start.Line + lineOffset;
        progress.Value = line;
        TreeNode node;
        switch (current)
        {
            case AnchorAlias alias:
                parser.MoveNext();
                return anchors.TryGetValue(alias.Value.Value, out var target)
                    ? target
                    : throw new YamlException(alias.Start, alias.End, $"alias *{alias.Value.Value} names no anchor defined before it");
            case Scalar scalar:
                parser.MoveNext();
                node = new TreeScalar(line, strings.Share(scalar.Value), scalar.Style is ScalarStyle.Plain or ScalarStyle.Any);
                break;
            case SequenceStart:
                parser.MoveNext();
                var items = new List<TreeNode>();
                while (!parser.TryConsume<SequenceEnd>(out _))
                {
                    items.Add(ReadNode(parser, anchors, strings, lineOffset, depth + 1, progress));
                }

                node = new TreeSequence(line, items);
                break;
            case MappingStart:
                parser.MoveNext();
                node = new TreeMapping(line, ReadEntries(parser, anchors, strings, lineOffset, depth, progress));
                break;
            default:
                throw new YamlException(current.Start, current.End, $"unexpected {current.GetType().Name}");
        }

        if (current is NodeEvent { Anchor.IsEmpty: false } anchored)
        {
            anchors[anchored.Anchor.Value] = node;
        }

        return node;
    }

    private static List<KeyValuePair<string, TreeNode>> ReadEntries(Parser parser, Dictionary<string, TreeNode> anchors, StringPool strings, int lineOffset, int depth, StrongBox<int> progress)
    {
        var entries = new List<KeyValuePair<string, TreeNode>>();
        while (!parser.TryConsume<MappingEnd>(out _))
        {
            var keyEvent = parser.Current!;
            if (ReadNode(parser, anchors, strings, lineOffset, depth + 1, progress) is not TreeScalar key)
            {
                // JSON and so Kubernetes objects only have string keys.
                throw new YamlException(keyEvent.Start, keyEvent.End, "a mapping key must be a string");
            }

            foreach (var (existing, _) in entries)
            {
                if (existing == key.Value)
                {
                    throw new YamlException(keyEvent.Start, keyEvent.End, $"duplicate key \"{key.Value}\"");
                }
            }

            entries.Add(KeyValuePair.Create(key.Value, ReadNode(parser, anchors, strings, lineOffset, depth + 1, progress)));
        }

        return entries;
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
