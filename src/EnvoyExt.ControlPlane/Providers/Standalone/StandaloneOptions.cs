namespace EnvoyExt.ControlPlane.Providers.Standalone;

public sealed record StandaloneOptions
{
    /// <summary>The folder read recursively for *.yaml and *.yml (files and folders starting with "." are skipped).</summary>
    public required string Folder { get; init; }

    /// <summary>Quiet time after the last file event before re-reading: editors write files in several steps.</summary>
    public TimeSpan Debounce { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Full rescan interval, the fallback when file events are lost (network file systems, inotify
    /// limits, editors replacing folders). Unchanged files are not re-parsed, so this is cheap.
    /// </summary>
    public TimeSpan RescanInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Longest quiet-time wait: a file rewritten without pause (a log-like writer, an attacker)
    /// delays re-reading by at most this much, never forever.
    /// </summary>
    public TimeSpan MaxDebounce { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Larger files are reported and not read (a YAML file is parsed into memory whole).</summary>
    public long MaxFileBytes { get; init; } = 32 * 1024 * 1024;

    /// <summary>Sub-folders deeper than this are reported and not read.</summary>
    public int MaxDepth { get; init; } = 32;

    /// <summary>Folder entries (of any kind) one scan looks at before it stops and reports the rest.</summary>
    public int MaxEntries { get; init; } = 100_000;
}
