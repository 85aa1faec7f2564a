using System.Runtime.CompilerServices;
using EnvoyExt.ControlPlane.Resources;

namespace EnvoyExt.ControlPlane.Providers.Standalone;

/// <summary>
/// Serves a folder of YAML as resources: reads it, then watches it (file events, debounced, plus a
/// periodic rescan as a safety net) and yields a new snapshot whenever the effective content
/// changes. Errors in files are reported inside the snapshot (ResourceSet.Problems), never thrown.
/// </summary>
public sealed class StandaloneProvider(StandaloneOptions options) : IResourceProvider
{
    /// <summary>One-shot read, e.g. for the translate command.</summary>
    public static ResourceSet ReadFolder(string folder)
    {
        var state = new FolderState(folder, new StandaloneOptions { Folder = folder });
        state.Rescan(TimeSpan.Zero);
        return state.Current();
    }

    public async IAsyncEnumerable<ResourceSnapshot> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var state = new FolderState(options.Folder, options);
        using var signal = new SemaphoreSlim(0);
        void OnEvent()
        {
            try
            {
                signal.Release();
            }
            catch (ObjectDisposedException)
            {
                // An event raced with shutdown: nobody is waiting any more.
            }
        }

        var watcher = TryWatch(options.Folder, OnEvent);
        long version = 1;
        try
        {
            state.Rescan(TimeSpan.Zero);
            yield return new ResourceSnapshot(version, state.Current());

            while (!cancellationToken.IsCancellationRequested)
            {
                if (!await WaitForChangeAsync(signal, state.Unsettled, cancellationToken))
                {
                    yield break;
                }

                // A folder that did not exist at start gets its watcher once it appears.
                watcher ??= TryWatch(options.Folder, OnEvent);

                bool changed;
                try
                {
                    // Off the caller's thread: a slow file system delays snapshots, never the caller's shutdown.
                    changed = await Task.Run(() => state.Rescan(options.Debounce), cancellationToken);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // The folder itself vanished or is unreadable for a moment: keep serving, retry later.
                    changed = false;
                }

                if (!changed)
                {
                    continue;
                }

                // Only files whose bytes changed were re-read, so a snapshot means real edits (a
                // comment-only edit still yields one; the xDS side pushes only when its output differs).
                yield return new ResourceSnapshot(++version, state.Current());
            }
        }
        finally
        {
            watcher?.Dispose();
        }
    }

    /// <summary>
    /// Waits for a file event followed by a quiet period (at most <see cref="StandaloneOptions.MaxDebounce"/>
    /// in all), or for the rescan interval, or, when a file was still changing, for it to settle.
    /// False when cancelled.
    /// </summary>
    private async Task<bool> WaitForChangeAsync(SemaphoreSlim signal, bool unsettled, CancellationToken cancellationToken)
    {
        try
        {
            if (await signal.WaitAsync(unsettled ? options.Debounce : options.RescanInterval, cancellationToken))
            {
                // Debounce: absorb the burst of events an editor or "cp -r" produces, but not forever.
                var deadline = DateTime.UtcNow + options.MaxDebounce;
                while (DateTime.UtcNow < deadline && await signal.WaitAsync(options.Debounce, cancellationToken))
                {
                }
            }

            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static FileSystemWatcher? TryWatch(string folder, Action onEvent)
    {
        if (!Directory.Exists(folder))
        {
            return null;
        }

        try
        {
            var watcher = new FileSystemWatcher(folder)
            {
                IncludeSubdirectories = true,
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size,
            };
            watcher.Changed += (_, _) => onEvent();
            watcher.Created += (_, _) => onEvent();
            watcher.Deleted += (_, _) => onEvent();
            watcher.Renamed += (_, _) => onEvent();
            watcher.Error += (_, _) => onEvent(); // overflow: rescan everything
            watcher.EnableRaisingEvents = true;
            return watcher;
        }
        catch (Exception e) when (e is IOException or ArgumentException or PlatformNotSupportedException or UnauthorizedAccessException)
        {
            // e.g. the inotify instance limit: the periodic rescan still picks changes up.
            return null;
        }
    }
}
