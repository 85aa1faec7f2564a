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
        var state = new FolderState(folder);
        state.Rescan();
        return state.Current();
    }

    public async IAsyncEnumerable<ResourceSnapshot> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var state = new FolderState(options.Folder);
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
            state.Rescan();
            yield return new ResourceSnapshot(version, state.Current());

            while (!cancellationToken.IsCancellationRequested)
            {
                if (!await WaitForChangeAsync(signal, cancellationToken))
                {
                    yield break;
                }

                // A folder that did not exist at start gets its watcher once it appears.
                watcher ??= TryWatch(options.Folder, OnEvent);

                bool changed;
                try
                {
                    changed = state.Rescan();
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

    /// <summary>Waits for a file event followed by a quiet period, or for the rescan interval. False when cancelled.</summary>
    private async Task<bool> WaitForChangeAsync(SemaphoreSlim signal, CancellationToken cancellationToken)
    {
        try
        {
            if (await signal.WaitAsync(options.RescanInterval, cancellationToken))
            {
                // Debounce: absorb the burst of events an editor or "cp -r" produces.
                while (await signal.WaitAsync(options.Debounce, cancellationToken))
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
