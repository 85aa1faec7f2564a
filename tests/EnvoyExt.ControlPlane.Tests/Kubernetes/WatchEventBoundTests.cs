using System.Net;
using System.Text;
using EnvoyExt.ControlPlane.Providers.Kubernetes;
using EnvoyExt.ControlPlane.Tests.Kubernetes.ApiServer;

namespace EnvoyExt.ControlPlane.Tests.Kubernetes;

/// <summary>
/// A watch event is read into a buffer that stops at the bound: a longer event fails the watch
/// naming the kind, and an endless line is not read past the bound.
/// </summary>
public sealed class WatchEventBoundTests
{
    [Fact]
    public async Task AWatchEventLongerThanTheBoundFailsNamingTheKindAfterSmallerOnesArrive()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var kubeconfig = new KubeconfigFile(server.Address);
        using var api = new KubernetesApi(kubeconfig.Path) { MaxWatchEventBytes = 4096 };
        var services = WatchedKind.All.Single(k => k.Kind == "Service");
        var (_, version) = await api.ListAsync(services, null, CancellationToken.None);
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var events = api.WatchAsync(services, null, version, TimeSpan.FromMinutes(1), bound.Token).GetAsyncEnumerator(bound.Token);
        server.CreateFromYaml(ProviderHarness.Service("small", 80));
        server.CreateFromYaml(ProviderHarness.Service("large", 81).Replace("  namespace: default", "  namespace: default\n  annotations:\n    filler: " + new string('x', 8192), StringComparison.Ordinal));

        Assert.True(await NextChangeAsync(events));
        Assert.Equal("small", events.Current.Resource.GetProperty("metadata").GetProperty("name").GetString());
        var error = await Assert.ThrowsAsync<KubernetesApiException>(async () => await NextChangeAsync(events));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, error.Code);
        Assert.Equal("watch event of Service larger than 4096 bytes", error.Message);
        await events.DisposeAsync();
    }

    [Fact]
    public async Task AnEndlessLineIsNotReadPastTheBound()
    {
        const int Bound = 1_000_000;
        var endless = new EndlessStream((byte)'x');
        var reader = new BoundedLineReader(endless, Bound);

        await Assert.ThrowsAsync<InvalidDataException>(async () => await reader.ReadLineAsync(CancellationToken.None));
        Assert.InRange(endless.BytesRead, Bound + 1, Bound + 1);
    }

    [Fact]
    public async Task LinesSplitAcrossReadsAreJoinedAndLineEndingsDropped()
    {
        var text = "first\r\n\nsecond line\n" + new string('y', 200) + "\nlast without newline";
        var reader = new BoundedLineReader(new TrickleStream(Encoding.UTF8.GetBytes(text)), 200);
        var lines = new List<string>();
        while (await reader.ReadLineAsync(CancellationToken.None) is { } line)
        {
            lines.Add(Encoding.UTF8.GetString(line.Span));
        }

        Assert.Equal(["first", "", "second line", new string('y', 200), "last without newline"], lines);
    }

    [Fact]
    public async Task ALineOneByteOverTheBoundFails()
    {
        var reader = new BoundedLineReader(new TrickleStream(Encoding.UTF8.GetBytes(new string('z', 201) + "\n")), 200);
        await Assert.ThrowsAsync<InvalidDataException>(async () => await reader.ReadLineAsync(CancellationToken.None));
    }

    /// <summary>The next ADDED/MODIFIED/DELETED event (bookmarks skipped); false when the stream ends.</summary>
    private static async Task<bool> NextChangeAsync(IAsyncEnumerator<RawWatchEvent> events)
    {
        while (await events.MoveNextAsync())
        {
            if (events.Current.Type != "BOOKMARK")
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The same byte forever, counting what was read.</summary>
    private sealed class EndlessStream(byte value) : Stream
    {
        public long BytesRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            buffer.AsSpan(offset, count).Fill(value);
            BytesRead += count;
            return count;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>Gives its bytes 7 at a time, so records straddle reads.</summary>
    private sealed class TrickleStream(byte[] bytes) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => bytes.Length;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = Math.Min(Math.Min(count, 7), bytes.Length - _position);
            bytes.AsSpan(_position, n).CopyTo(buffer.AsSpan(offset));
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
