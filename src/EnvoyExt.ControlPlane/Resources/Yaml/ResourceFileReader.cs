using System.Runtime.CompilerServices;
using YamlDotNet.Core;

namespace EnvoyExt.ControlPlane.Resources.Yaml;

/// <summary>What one file contributed: its resources and the kinds it skipped.</summary>
public sealed record FileReadResult(IReadOnlyList<KubernetesResource> Resources, IReadOnlyList<string> Warnings);

/// <summary>
/// Reads every YAML document of one file into typed resources. A syntax or field error anywhere
/// fails the whole file (throws <see cref="ResourceReadException"/>), so the caller can keep that
/// file's last good version instead of serving half of it.
/// </summary>
public static class ResourceFileReader
{
    /// <summary>Warnings (skipped kinds) reported per file; the rest are counted in one line.</summary>
    public const int MaxWarningsPerFile = 10;

    public static FileReadResult Read(string displayName, string text)
    {
        var pieces = DocumentPieces.Split(text);
        if (pieces.Count == 1)
        {
            var single = ReadPiece(displayName, pieces[0]);
            return new FileReadResult(single.Resources, Summarize(displayName, single.Warnings));
        }

        // Pieces are independent; the first error in file order wins, as if read front to back.
        var results = new FileReadResult?[pieces.Count];
        var errors = new Exception?[pieces.Count];
        Parallel.For(0, pieces.Count, i =>
        {
            try
            {
                results[i] = ReadPiece(displayName, pieces[i]);
            }
            catch (Exception e)
            {
                errors[i] = e;
            }
        });

        var resources = new List<KubernetesResource>();
        var warnings = new List<string>();
        for (var i = 0; i < pieces.Count; i++)
        {
            if (errors[i] is { } error)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
            }

            resources.AddRange(results[i]!.Resources);
            warnings.AddRange(results[i]!.Warnings);
        }

        return new FileReadResult(resources, Summarize(displayName, warnings));
    }

    /// <summary>
    /// A file of ten thousand unsupported documents must not become ten thousand log lines on every
    /// change: the first few are kept and the rest counted.
    /// </summary>
    private static IReadOnlyList<string> Summarize(string displayName, IReadOnlyList<string> warnings)
    {
        if (warnings.Count <= MaxWarningsPerFile)
        {
            return warnings;
        }

        var kept = warnings.Take(MaxWarningsPerFile).ToList();
        kept.Add($"{displayName}: {warnings.Count - MaxWarningsPerFile} more documents of unsupported kinds skipped");
        return kept;
    }

    private static FileReadResult ReadPiece(string displayName, DocumentPiece piece)
    {
        var resources = new List<KubernetesResource>();
        var warnings = new List<string>();
        var progress = new StrongBox<int>(piece.FirstLine);
        using var documents = YamlTreeBuilder.Documents(piece.Text, piece.FirstLine - 1, progress).GetEnumerator();
        while (NextDocument(displayName, piece, documents, progress) is var (more, root) && more)
        {
            if (root is null)
            {
                continue; // an empty document between "---" separators
            }

            if (root is not TreeMapping map)
            {
                throw new ResourceReadException(displayName, root.Line, "", "expected a Kubernetes object (a mapping)");
            }

            var cursor = new YamlCursor(displayName, map);
            if (cursor.OptString("kind") == "List")
            {
                // kubectl's "kind: List" wrapper: read its items as if they were documents.
                var items = cursor.List("items", item => item);
                foreach (var item in items)
                {
                    AddOne(item, resources, warnings);
                }

                continue;
            }

            AddOne(cursor, resources, warnings);
        }

        return new FileReadResult(resources, warnings);
    }

    /// <summary>Parses the next document; a syntax error becomes a file error with the file's line.</summary>
    private static (bool More, TreeNode? Root) NextDocument(string displayName, DocumentPiece piece, IEnumerator<TreeNode?> documents, StrongBox<int> progress)
    {
        try
        {
            return documents.MoveNext() ? (true, documents.Current) : (false, null);
        }
        catch (YamlException e)
        {
            throw new ResourceReadException(displayName, (int)e.Start.Line + piece.FirstLine - 1, "", "invalid YAML: " + YamlErrorText(e));
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException)
        {
            // YamlDotNet reports a few malformed inputs (e.g. a bare "*" alias) without a position;
            // the last node it did read is the closest place we know.
            throw new ResourceReadException(displayName, progress.Value, "", $"invalid YAML at or after this line: {e.Message}");
        }
    }

    /// <summary>YamlDotNet prefixes messages with "(Line: .., Col: .., Idx: ..) - (..): "; the line is already in our prefix.</summary>
    private static string YamlErrorText(YamlException e)
    {
        var message = (e.InnerException as YamlException ?? e).Message;
        var cut = message.LastIndexOf("): ", StringComparison.Ordinal);
        return cut >= 0 ? message[(cut + 3)..] : message;
    }

    private static string? Quote(string? value) => value is { Length: > 128 } ? value[..128] + "..." : value;

    private static void AddOne(YamlCursor cursor, List<KubernetesResource> resources, List<string> warnings)
    {
        KubernetesResource? resource;
        try
        {
            resource = ResourceMapper.Map(cursor);
        }
        catch (Exception e) when (e is not ResourceReadException)
        {
            // Shapes no Kubernetes object has (e.g. a mapping used as a key): still a file error, never a crash.
            throw new ResourceReadException(cursor.File, cursor.Line, "", "cannot read this document: " + e.Message);
        }

        if (resource is null)
        {
            warnings.Add($"{cursor.File}:{cursor.Line}: unsupported kind {Quote(cursor.OptString("apiVersion"))}/{Quote(cursor.OptString("kind"))}: skipped");
            return;
        }

        resources.Add(resource);
    }
}
