using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EnvoyExt.ControlPlane.Providers.Kubernetes;

/// <summary>
/// Serves the cluster's Gateway API objects (and ours) as resources: one informer per kind fills a
/// shared cache; changes only mark the cache dirty (a one-slot work queue, so any number of events
/// is one pending item) and this loop, off the watch threads, builds a snapshot after a quiet
/// period. A burst of a thousand events is a handful of translations.
/// </summary>
public sealed class KubernetesProvider(KubernetesApi api, KubernetesOptions options, ILogger? logger = null) : IResourceProvider
{
    private readonly ILogger _logger = logger ?? NullLogger.Instance;
    private readonly Channel<bool> _dirty = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly List<Informer> _informers = [];
    private long _snapshots;

    /// <summary>Snapshots yielded so far (each is one translation).</summary>
    public long Snapshots => Interlocked.Read(ref _snapshots);

    /// <summary>Lists made by all informers (one each at start, one more per 410).</summary>
    public long Lists => _informers.Sum(i => i.Lists);

    /// <summary>Watch streams opened by all informers.</summary>
    public long Watches => _informers.Sum(i => i.Watches);

    public async IAsyncEnumerable<ResourceSnapshot> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var cache = new ObjectCache();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        foreach (var kind in WatchedKind.All)
        {
            _informers.Add(new Informer(api, kind, kind.Namespaced ? options.Namespace : null, cache, options, MarkDirty, _logger));
        }

        var running = _informers.Select(i => Task.Run(() => i.RunAsync(stop.Token), CancellationToken.None)).ToList();
        try
        {
            // The first snapshot waits for every kind's first list: never a half-read cluster.
            await Task.WhenAll(_informers.Select(i => i.Synced)).WaitAsync(cancellationToken).ConfigureAwait(false);
            _dirty.Reader.TryRead(out _);
            long version = 1;
            Interlocked.Increment(ref _snapshots);
            yield return new ResourceSnapshot(version, cache.Snapshot());

            while (await WaitForChangesAsync(cancellationToken).ConfigureAwait(false))
            {
                Interlocked.Increment(ref _snapshots);
                yield return new ResourceSnapshot(++version, cache.Snapshot());
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(running).ConfigureAwait(false);
        }
    }

    private void MarkDirty() => _dirty.Writer.TryWrite(true);

    /// <summary>Waits for a change, then for a quiet period (at most MaxDelay in all). False when cancelled.</summary>
    private async Task<bool> WaitForChangesAsync(CancellationToken ct)
    {
        try
        {
            await _dirty.Reader.ReadAsync(ct).ConfigureAwait(false);
            var deadline = DateTime.UtcNow + options.MaxDelay;
            while (DateTime.UtcNow < deadline)
            {
                using var quiet = CancellationTokenSource.CreateLinkedTokenSource(ct);
                quiet.CancelAfter(options.Debounce);
                try
                {
                    await _dirty.Reader.ReadAsync(quiet.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    break; // quiet for a whole debounce period
                }
            }

            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
