namespace EnvoyExt.ControlPlane.Providers.Standalone;

/// <summary>A YAML file found in the folder: its name relative to the folder and the path to open.</summary>
internal readonly record struct FoundFile(string Name, string OpenPath);

/// <summary>What one walk of the folder found, and the entries it refused (reported, never followed).</summary>
internal sealed record FolderScanResult(IReadOnlyList<FoundFile> Files, IReadOnlyList<string> Problems);

/// <summary>
/// Walks the folder for *.yaml / *.yml, always terminating: at most <see cref="StandaloneOptions.MaxDepth"/>
/// folders deep and <see cref="StandaloneOptions.MaxEntries"/> entries looked at. Names starting with
/// "." are skipped. Symlinked folders are not entered (a loop or a second copy of the tree is never
/// walked); a symlinked file is read only when its final target is inside the folder (Kubernetes
/// ConfigMap mounts link "x.yaml" to "..data/x.yaml"); a dangling or looping link is reported.
/// </summary>
internal static class FolderScan
{
    public static FolderScanResult Run(string folder, StandaloneOptions limits)
    {
        var files = new List<FoundFile>();
        var problems = new List<string>();
        if (!Directory.Exists(folder))
        {
            return new FolderScanResult(files, problems);
        }

        var root = PosixFiles.RealPath(folder) ?? Path.GetFullPath(folder);
        var entries = 0;
        var pending = new Stack<(DirectoryInfo Directory, int Depth)>();
        pending.Push((new DirectoryInfo(folder), 0));
        while (pending.Count > 0)
        {
            var (directory, depth) = pending.Pop();
            IEnumerable<FileSystemInfo> children;
            try
            {
                children = directory.EnumerateFileSystemInfos("*", new EnumerationOptions { IgnoreInaccessible = true, AttributesToSkip = 0 });
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue; // removed or unreadable while walking: the next scan sees the new state
            }

            foreach (var child in children)
            {
                if (++entries > limits.MaxEntries)
                {
                    problems.Add($"{folder}: more than {limits.MaxEntries} entries; the rest of the folder is not read");
                    return Sorted(files, problems);
                }

                if (child.Name.StartsWith('.'))
                {
                    continue;
                }

                var name = Path.GetRelativePath(folder, child.FullName).Replace('\\', '/');
                var isLink = child.LinkTarget is not null;
                if (child is DirectoryInfo subdirectory)
                {
                    if (isLink)
                    {
                        problems.Add($"{name}: symlinked folder not followed");
                    }
                    else if (depth + 1 > limits.MaxDepth)
                    {
                        problems.Add($"{name}: more than {limits.MaxDepth} folders deep; not read");
                    }
                    else
                    {
                        pending.Push((subdirectory, depth + 1));
                    }

                    continue;
                }

                if (!IsYaml(child.Name))
                {
                    continue;
                }

                if (!isLink)
                {
                    files.Add(new FoundFile(name, child.FullName));
                    continue;
                }

                var target = PosixFiles.RealPath(child.FullName);
                if (target is null)
                {
                    problems.Add($"{name}: symlink is dangling or forms a loop; skipped");
                }
                else if (!IsInside(root, target))
                {
                    problems.Add($"{name}: symlink points outside the folder; skipped");
                }
                else
                {
                    files.Add(new FoundFile(name, target));
                }
            }
        }

        return Sorted(files, problems);
    }

    private static FolderScanResult Sorted(List<FoundFile> files, List<string> problems)
    {
        files.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        problems.Sort(StringComparer.Ordinal);
        return new FolderScanResult(files, problems);
    }

    private static bool IsYaml(string name) =>
        name.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);

    private static bool IsInside(string root, string path) =>
        path.StartsWith(root.EndsWith('/') ? root : root + "/", StringComparison.Ordinal);
}
