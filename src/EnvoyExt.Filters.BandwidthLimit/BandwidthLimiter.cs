using System.Text;
using EnvoyExt.Filters.BandwidthLimit.Config;
using EnvoyExt.Filters.Timing;

namespace EnvoyExt.Filters.BandwidthLimit;

/// <summary>One limit (a listener config or a route's), shared by every worker: a bucket per throttled direction and the delay timer.</summary>
internal sealed class BandwidthLimiter : IDisposable
{
    public BandwidthLimiter(BandwidthLimitConfig config)
    {
        Label = Encoding.UTF8.GetBytes(config.Name ?? "default");
        string direction = config.Direction ?? BandwidthLimitFilterContract.Both;
        long bytesPerSecond = (long)config.LimitKiBps!.Value * 1024;
        int fill = config.FillIntervalMs ?? BandwidthLimitFilterContract.DefaultFillIntervalMs;
        Request = direction is BandwidthLimitFilterContract.Request or BandwidthLimitFilterContract.Both ? new ByteBucket(bytesPerSecond, fill) : null;
        Response = direction is BandwidthLimitFilterContract.Response or BandwidthLimitFilterContract.Both ? new ByteBucket(bytesPerSecond, fill) : null;
        Trailers = config.ResponseTrailers is { } trailers ? new DelayTrailers(trailers.Prefix) : null;
    }

    /// <summary>The metric label value (UTF-8).</summary>
    public byte[] Label { get; }

    /// <summary>The request bodies' bucket, or null when requests are not throttled.</summary>
    public ByteBucket? Request { get; }

    /// <summary>The response bodies' bucket, or null when responses are not throttled.</summary>
    public ByteBucket? Response { get; }

    /// <summary>The delay trailers, or null when the document does not ask for them.</summary>
    public DelayTrailers? Trailers { get; }

    public DelayTimer Timer { get; } = new();

    public void Dispose() => Timer.Dispose();
}
