using System.Text;
using EnvoyExt.ControlPlane.XdsServer;

namespace EnvoyExt.ControlPlane.Admin;

/// <summary>
/// The /snapshot document, encoded once per snapshot version and shared by every request: parallel
/// dumps of a large configuration cost one encoding, not one each (each is tens of MiB of JSON
/// tree at 10,000 routes), and never compete with xDS streams for memory.
/// </summary>
internal sealed class SnapshotDocument(XdsSnapshotCache cache) : IDisposable
{
    private readonly SemaphoreSlim _build = new(1, 1);
    private volatile Encoded? _current;

    public async Task<byte[]> GetAsync(CancellationToken ct)
    {
        var version = cache.Version;
        if (_current is { } fresh && fresh.Version == version)
        {
            return fresh.Utf8;
        }
        await _build.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            version = cache.Version;
            if (_current is { } built && built.Version == version)
            {
                return built.Utf8; // another request encoded it while this one waited
            }
            var utf8 = Encoding.UTF8.GetBytes(AdminDocuments.Indented(AdminDocuments.Snapshot(cache)));
            _current = new Encoded(version, utf8);
            return utf8;
        }
        finally
        {
            _build.Release();
        }
    }

    public void Dispose() => _build.Dispose();

    private sealed record Encoded(long Version, byte[] Utf8);
}
