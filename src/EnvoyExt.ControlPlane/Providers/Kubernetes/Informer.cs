using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace EnvoyExt.ControlPlane.Providers.Kubernetes;

/// <summary>
/// Keeps the cache in step with one kind: list, then watch from the list's resourceVersion; a
/// stream that ends resumes from the last version seen (events or bookmarks); 410 Gone (history
/// compacted) lists again; failures reconnect with exponential backoff. Runs on its own task and
/// never translates: it only updates the cache and raises the change signal.
/// </summary>
internal sealed class Informer(KubernetesApi api, WatchedKind kind, string? ns, ObjectCache cache, KubernetesOptions options, Action changed, ILogger logger)
{
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _lists;
    private long _watches;
    private long _events;

    public WatchedKind Kind => kind;

    /// <summary>Completes once the first list is in the cache.</summary>
    public Task Synced => _synced.Task;

    public long Lists => Interlocked.Read(ref _lists);

    public long Watches => Interlocked.Read(ref _watches);

    public long Events => Interlocked.Read(ref _events);

    public async Task RunAsync(CancellationToken ct)
    {
        string? version = null;
        var backoff = options.MinBackoff;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (version is null)
                {
                    var (items, listVersion) = await api.ListAsync(kind, ns, ct).ConfigureAwait(false);
                    cache.ReplaceAll(kind, items);
                    version = listVersion;
                    Interlocked.Increment(ref _lists);
                    _synced.TrySetResult();
                    changed();
                }

                Interlocked.Increment(ref _watches);
                version = await WatchOnceAsync(version, ct).ConfigureAwait(false);
                backoff = options.MinBackoff; // a stream that opened and ended normally is healthy
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (KubernetesApiException e) when (e.Code == HttpStatusCode.Gone)
            {
                version = null;
            }
            catch (KubernetesApiException e) when (e.Code == HttpStatusCode.NotFound && version is null)
            {
                // The kind is not served (its CRD is not installed): it has no objects until it is.
                cache.ReplaceAll(kind, []);
                _synced.TrySetResult();
                KubernetesLog.KindNotServed(logger, kind.Kind, e.Message, (int)backoff.TotalMilliseconds);
                if (!await DelayAsync(backoff, ct).ConfigureAwait(false))
                {
                    return;
                }

                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, options.MaxBackoff.Ticks));
            }
            catch (Exception e) when (e is HttpRequestException or IOException or KubernetesApiException or JsonException or KeyNotFoundException)
            {
                KubernetesLog.WatchFailed(logger, kind.Kind, e.Message, (int)backoff.TotalMilliseconds);
                if (!await DelayAsync(backoff, ct).ConfigureAwait(false))
                {
                    return;
                }

                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, options.MaxBackoff.Ticks));
            }
        }
    }

    private static async Task<bool> DelayAsync(TimeSpan delay, CancellationToken ct)
    {
        try
        {
            await Task.Delay(delay, ct).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>One watch stream; returns the version to resume from, or null to list again.</summary>
    private async Task<string?> WatchOnceAsync(string version, CancellationToken ct)
    {
        await foreach (var change in api.WatchAsync(kind, ns, version, options.WatchTimeout, ct).ConfigureAwait(false))
        {
            switch (change.Type)
            {
                case "ADDED":
                case "MODIFIED":
                    cache.Put(kind, change.Resource);
                    break;
                case "DELETED":
                    cache.Remove(kind, change.Resource);
                    break;
                case "BOOKMARK":
                    version = VersionOf(change.Resource) ?? version;
                    continue;
                case "ERROR":
                    if (change.Resource.TryGetProperty("code", out var code) && code.GetInt32() == (int)HttpStatusCode.Gone)
                    {
                        KubernetesLog.VersionTooOld(logger, kind.Kind, version);
                        return null;
                    }

                    throw new KubernetesApiException(HttpStatusCode.InternalServerError,
                        $"watch error: {(change.Resource.TryGetProperty("message", out var m) ? m.GetString() : change.Resource.GetRawText())}");
                default:
                    continue;
            }

            version = VersionOf(change.Resource) ?? version;
            Interlocked.Increment(ref _events);
            changed();
        }

        return version;
    }

    private static string? VersionOf(JsonElement obj) =>
        obj.TryGetProperty("metadata", out var meta) && meta.TryGetProperty("resourceVersion", out var rv) ? rv.GetString() : null;
}
