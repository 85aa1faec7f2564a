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
    private bool? _folderExisted;

    /// <summary>Re-reads changed files; returns true when the resulting resource set may differ.</summary>
    public bool Rescan()
    {
        var exists = Directory.Exists(folder);
        var existenceChanged = _folderExisted is { } before && before != exists;
        _folderExisted = exists;
        var changed = new List<(string Name, byte[] Hash, byte[] Bytes)>();
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
            if (!_files.TryGetValue(name, out var existing) || !existing.Hash.AsSpan().SequenceEqual(hash))
            {
                changed.Add((name, hash, bytes));
            }
        }

        // Parsing dominates a large initial load and files are independent, so they are parsed in parallel.
        var parsed = new (FileReadResult? Result, string? Error)[changed.Count];
        Parallel.For(0, changed.Count, i =>
        {
            try
            {
                parsed[i] = (ResourceFileReader.Read(changed[i].Name, System.Text.Encoding.UTF8.GetString(changed[i].Bytes)), null);
            }
            catch (ResourceReadException e)
            {
                parsed[i] = (null, e.Message);
            }
            catch (Exception e)
            {
                // A reader bug must cost one file, not the provider: report it like any bad file.
                parsed[i] = (null, $"{changed[i].Name}: internal error while reading: {e.GetType().Name}: {e.Message}");
            }
        });

        for (var i = 0; i < changed.Count; i++)
        {
            var (name, hash, _) = changed[i];
            if (parsed[i].Result is { } result)
            {
                _files[name] = new FileEntry(hash, result, null);
                continue;
            }

            var lastGood = _files.TryGetValue(name, out var existing) ? existing.LastGood : null;
            var kept = lastGood is null ? "nothing from this file is served" : "its last good version keeps serving";
            _files[name] = new FileEntry(hash, lastGood, $"{parsed[i].Error} ({kept})");
        }

        var removed = _files.Keys.Where(k => !seen.Contains(k)).ToList();
        foreach (var gone in removed)
        {
            _files.Remove(gone);
        }

        return existenceChanged || changed.Count > 0 || removed.Count > 0;
    }

    public ResourceSet Current()
    {
        var resources = new List<KubernetesResource>();
        var problems = new List<string>();
        if (!Directory.Exists(folder))
        {
            problems.Add($"{folder}: folder not found (watching for it to appear)");
        }

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
