using System.Globalization;

namespace EnvoyExt.ControlPlane.Resources.Yaml;

/// <summary>
/// Applies <see cref="ResourceBounds"/> to one document before it is mapped. A value of the wrong
/// shape is left for the mapper, which reports it with the expected type; only sizes are checked here.
/// </summary>
internal static class BoundsChecker
{
    public static void Check(YamlCursor doc, string kind)
    {
        foreach (var bound in ResourceBounds.Fields(kind))
        {
            Walk(doc.File, doc.Node, bound.Path.Split('.'), 0, "", bound);
        }

        foreach (var sum in ResourceBounds.Sums(kind))
        {
            CheckSum(doc, sum);
        }
    }

    private static void Walk(string file, TreeNode node, string[] segments, int index, string path, FieldBound bound)
    {
        if (index == segments.Length)
        {
            CheckValue(file, node, path, bound);
            return;
        }

        var segment = segments[index];
        var eachItem = segment.EndsWith("[]", StringComparison.Ordinal);
        var key = eachItem ? segment[..^2] : segment;
        if (node is not TreeMapping map || map.Get(key) is not { } value || value is TreeScalar { IsNull: true })
        {
            return;
        }

        var field = path.Length == 0 ? key : path + "." + key;
        if (!eachItem)
        {
            Walk(file, value, segments, index + 1, field, bound);
            return;
        }

        if (value is not TreeSequence sequence)
        {
            return;
        }

        for (var i = 0; i < sequence.Items.Count; i++)
        {
            Walk(file, sequence.Items[i], segments, index + 1, string.Create(CultureInfo.InvariantCulture, $"{field}[{i}]"), bound);
        }
    }

    private static void CheckValue(string file, TreeNode node, string path, FieldBound bound)
    {
        if (bound.MaxItems is { } maxItems && node is TreeSequence sequence && sequence.Items.Count > maxItems)
        {
            throw new ResourceReadException(file, node.Line, path, $"at most {maxItems} items are allowed (got {sequence.Items.Count})");
        }

        if (bound.MaxLength is { } maxLength && node is TreeScalar scalar && scalar.Value.Length > maxLength)
        {
            // The schema counts characters (code points); UTF-16 length is only an upper bound of that.
            var characters = scalar.Value.EnumerateRunes().Count();
            if (characters > maxLength)
            {
                throw new ResourceReadException(file, node.Line, path, $"at most {maxLength} characters are allowed (got {characters})");
            }
        }
    }

    private static void CheckSum(YamlCursor doc, SumBound sum)
    {
        var segments = sum.OuterList.Split('.');
        TreeNode? node = doc.Node;
        foreach (var segment in segments)
        {
            node = (node as TreeMapping)?.Get(segment);
        }

        if (node is not TreeSequence outer)
        {
            return;
        }

        var total = 0;
        foreach (var item in outer.Items)
        {
            if (item is TreeMapping map && map.Get(sum.InnerList) is TreeSequence inner)
            {
                total += inner.Items.Count;
            }
        }

        if (total > sum.Max)
        {
            throw new ResourceReadException(doc.File, outer.Line, sum.OuterList, $"at most {sum.Max} {sum.What} are allowed (got {total})");
        }
    }
}
