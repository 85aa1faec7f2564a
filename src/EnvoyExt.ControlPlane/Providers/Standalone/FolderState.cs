using System.Security.Cryptography;
using EnvoyExt.ControlPlane.Resources;
using EnvoyExt.ControlPlane.Resources.Yaml;

namespace EnvoyExt.ControlPlane.Providers.Standalone;

/// <summary>
/// The provider's memory of a folder: for each file, the last version that read cleanly and the
/// current problem if the newest version does not. A bad, oversized, special or truncated file keeps
/// serving its last good resources; a deleted file's resources disappear. A file still being
/// written (changed within the settle time, or while it was read) is left for a later scan.
/// </summary>
internal sealed class FolderState(string folder, StandaloneOptions options)
{
    private sealed record FileEntry(byte[] Hash, FileReadResult? LastGood, string? Problem);

    private readonly Dictionary<string, FileEntry> _files = new(StringComparer.Ordinal);
    private IReadOnlyList<string> _scanProblems = [];
    private bool? _folderExisted;

    /// <summary>The last scan skipped a file that was still changing; scan again once it has settled.</summary>
    public bool Unsettled { get; private set; }

    /// <summary>Re-reads changed files; returns true when the resulting resource set may differ.</summary>
    /// <param name="settle">A file modified less than this long ago is not read yet (zero: read whatever is there).</param>
    public bool Rescan(TimeSpan settle)
    {
        var exists = Directory.Exists(folder);
        var existenceChanged = _folderExisted is { } before && before != exists;
        _folderExisted = exists;
        var scan = FolderScan.Run(folder, options);
        var scanProblemsChanged = !scan.Problems.SequenceEqual(_scanProblems, StringComparer.Ordinal);
        _scanProblems = scan.Problems;
        Unsettled = false;

        var changed = new List<(string Name, byte[] Hash, byte[] Bytes)>();
        var refusedChanged = false;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var now = (DateTime.UtcNow - DateTime.UnixEpoch).Ticks * 100;
        foreach (var file in scan.Files)
        {
            seen.Add(file.Name);
            OpenOutcome outcome;
            byte[] bytes;
            FileStamp stamp;
            try
            {
                outcome = PosixFiles.TryRead(file.OpenPath, options.MaxFileBytes, out bytes, out stamp);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Being replaced right now: keep the previous version; the next event or rescan retries.
                continue;
            }

            var age = now - stamp.ModifiedUnixNanos;
            if (outcome == OpenOutcome.Changing || (age >= 0 && age < settle.Ticks * 100))
            {
                Unsettled = true;
                continue;
            }

            _files.TryGetValue(file.Name, out var existing);
            var refusal = outcome switch
            {
                OpenOutcome.NotRegular => "not a regular file (a FIFO, device or socket); not read",
                OpenOutcome.TooLarge => $"{stamp.Size} bytes, above the {options.MaxFileBytes}-byte limit; not read",
                _ when bytes.Length == 0 && existing?.LastGood is { Resources.Count: > 0 } =>
                    "empty, probably truncated while being rewritten in place (write a new file and rename it over this one); delete the file to remove its resources",
                _ => null,
            };
            if (refusal is not null)
            {
                refusedChanged |= Refuse(file.Name, existing, refusal);
                continue;
            }

            var hash = SHA256.HashData(bytes);
            if (existing is null || !existing.Hash.AsSpan().SequenceEqual(hash))
            {
                changed.Add((file.Name, hash, bytes));
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
            catch (Exception e) when (e is not OutOfMemoryException)
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
            _files[name] = new FileEntry(hash, lastGood, $"{parsed[i].Error} ({Kept(lastGood)})");
        }

        var removed = _files.Keys.Where(k => !seen.Contains(k)).ToList();
        foreach (var gone in removed)
        {
            _files.Remove(gone);
        }

        return existenceChanged || scanProblemsChanged || refusedChanged || changed.Count > 0 || removed.Count > 0;
    }

    public ResourceSet Current()
    {
        var resources = new List<KubernetesResource>();
        var problems = new List<string>();
        if (!Directory.Exists(folder))
        {
            problems.Add($"{folder}: folder not found (watching for it to appear)");
        }

        problems.AddRange(_scanProblems);
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

    /// <summary>Records a file that cannot be read as it is; returns whether its reported state changed.</summary>
    private bool Refuse(string name, FileEntry? existing, string why)
    {
        var problem = $"{name}: {why} ({Kept(existing?.LastGood)})";
        if (existing?.Problem == problem)
        {
            return false;
        }

        // An empty hash never equals a real one, so the file is read again as soon as it is readable.
        _files[name] = new FileEntry([], existing?.LastGood, problem);
        return true;
    }

    private static string Kept(FileReadResult? lastGood) =>
        lastGood is null ? "nothing from this file is served" : "its last good version keeps serving";
}
