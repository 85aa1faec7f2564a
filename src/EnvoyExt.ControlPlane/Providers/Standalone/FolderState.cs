using System.Security.Cryptography;
using EnvoyExt.ControlPlane.Resources;
using EnvoyExt.ControlPlane.Resources.Yaml;

namespace EnvoyExt.ControlPlane.Providers.Standalone;

/// <summary>
/// The provider's memory of a folder: for each file, the last version that read cleanly and the
/// current problem if the newest version does not. A bad file keeps serving its last good
/// resources; a deleted file's resources disappear.
/// </summary>
internal sealed class FolderState(string folder)
{
    private sealed record FileEntry(byte[] Hash, FileReadResult? LastGood, string? Problem);

    private readonly Dictionary<string, FileEntry> _files = new(StringComparer.Ordinal);

    /// <summary>Re-reads changed files; returns true when the resulting resource set may differ.</summary>
    public bool Rescan()
    {
        var changed = false;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in EnumerateYaml())
        {
            var name = Path.GetRelativePath(folder, path).Replace('\\', '/');
            seen.Add(name);
            byte[] bytes;
            try
            {
                bytes = File.ReadAllBytes(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Being written or replaced right now: keep the previous version; the next event or rescan retries.
                continue;
            }

            var hash = SHA256.HashData(bytes);
            if (_files.TryGetValue(name, out var existing) && existing.Hash.AsSpan().SequenceEqual(hash))
            {
                continue;
            }

            changed = true;
            try
            {
                var result = ResourceFileReader.Read(name, System.Text.Encoding.UTF8.GetString(bytes));
                _files[name] = new FileEntry(hash, result, null);
            }
            catch (ResourceReadException e)
            {
                var lastGood = existing?.LastGood;
                var kept = lastGood is null ? "nothing from this file is served" : "its last good version keeps serving";
                _files[name] = new FileEntry(hash, lastGood, $"{e.Message} ({kept})");
            }
        }

        foreach (var gone in _files.Keys.Where(k => !seen.Contains(k)).ToList())
        {
            _files.Remove(gone);
            changed = true;
        }

        return changed;
    }

    public ResourceSet Current()
    {
        var resources = new List<KubernetesResource>();
        var problems = new List<string>();
        foreach (var (_, entry) in _files.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            if (entry.LastGood is { } good)
            {
                resources.AddRange(good.Resources);
                problems.AddRange(good.Warnings);
            }

            if (entry.Problem is { } problem)
            {
                problems.Add(problem);
            }
        }

        return ResourceSet.From(resources, problems);
    }

    private IEnumerable<string> EnumerateYaml()
    {
        if (!Directory.Exists(folder))
        {
            return [];
        }

        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.Hidden };
        return Directory.EnumerateFiles(folder, "*", options)
            .Where(p => p.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || p.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
            .Where(p => !Path.GetRelativePath(folder, p).Split(Path.DirectorySeparatorChar).Any(part => part.StartsWith('.')))
            .Order(StringComparer.Ordinal);
    }
}
