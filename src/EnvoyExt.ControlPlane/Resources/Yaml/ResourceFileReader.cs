using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

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
    public static FileReadResult Read(string displayName, string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new ResourceReadException(displayName, (int)e.Start.Line, "", "invalid YAML: " + YamlErrorText(e));
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException)
        {
            // YamlDotNet reports a few malformed inputs (e.g. a bare "*" alias) without a position.
            throw new ResourceReadException(displayName, 1, "", "invalid YAML: " + e.Message);
        }

        var resources = new List<KubernetesResource>();
        var warnings = new List<string>();
        foreach (var document in stream.Documents)
        {
            var root = document.RootNode;
            if (root is YamlScalarNode { Value: null or "" } || root is null)
            {
                continue; // an empty document between "---" separators
            }

            if (root is not YamlMappingNode map)
            {
                throw new ResourceReadException(displayName, (int)root.Start.Line, "", "expected a Kubernetes object (a mapping)");
            }

            var cursor = new YamlCursor(displayName, map, "");
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

    /// <summary>YamlDotNet prefixes messages with "(Line: .., Col: .., Idx: ..) - (..): "; the line is already in our prefix.</summary>
    private static string YamlErrorText(YamlException e)
    {
        var message = (e.InnerException as YamlException ?? e).Message;
        var cut = message.LastIndexOf("): ", StringComparison.Ordinal);
        return cut >= 0 ? message[(cut + 3)..] : message;
    }

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
            warnings.Add($"{cursor.File}:{cursor.Line}: unsupported kind {cursor.OptString("apiVersion")}/{cursor.OptString("kind")}: skipped");
            return;
        }

        resources.Add(resource);
    }
}
