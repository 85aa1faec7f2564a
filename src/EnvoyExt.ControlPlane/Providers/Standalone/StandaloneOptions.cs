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
}
