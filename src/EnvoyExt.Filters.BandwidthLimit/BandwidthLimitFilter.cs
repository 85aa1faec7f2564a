using System.Diagnostics;
using EnvoyExt.DynamicModules.Sdk;
using EnvoyExt.Filters.Timing;

namespace EnvoyExt.Filters.BandwidthLimit;

/// <summary>
/// Paces request and/or response bodies through the limit's shared byte buckets (the route's limit, else
/// the listener's). Every frame reserves its bytes; a frame that is not yet due is held with
/// <see cref="BodyStatus.StopIterationAndWatermark"/>, so Envoy buffers it and the frames behind it under
/// flow control (the peer is read-disabled past the buffer limit) instead of this filter copying bodies.
/// The limit's timer commits to the stream's scheduler at the due time of the last byte held, and the
/// stream continues: data is delayed, never dropped or reordered. The ABI has no call to inject part of
/// a buffer, so what is released at once is what Envoy buffered while the direction was held.
/// </summary>
internal sealed class BandwidthLimitFilter(BandwidthLimitFilterConfig config) : HttpFilter<BandwidthLimitFilter.Stream>
{
    private readonly DelayWaiter _requestWaiter = new();
    private readonly DelayWaiter _responseWaiter = new();

    // The end hooks cancel waits: only a stream whose body met a limiter can hold one.
    protected override EndOfStreamHooks EndOfStreamHooks => EndOfStreamHooks.WhenRequested;

    // OnStreamComplete cancels the waits; OnDestroy only covers a stream that never completed.
    protected override bool DestroyAfterStreamComplete => false;

    public override BodyStatus OnRequestBody(HttpFilterContext ctx, bool endOfStream)
    {
        var limiter = Limiter(ctx);
        return limiter.Request is { } bucket
            ? Throttle(ctx, limiter, bucket, ref State.Request, _requestWaiter, ctx.ReceivedRequestBody.Length, BandwidthLimitMetrics.RequestLabel)
            : BodyStatus.Continue;
    }

    public override TrailersStatus OnRequestTrailers(HttpFilterContext ctx) =>
        State.Request.Held ? TrailersStatus.StopIteration : TrailersStatus.Continue;

    public override BodyStatus OnResponseBody(HttpFilterContext ctx, bool endOfStream)
    {
        var limiter = Limiter(ctx);
        return limiter.Response is { } bucket
            ? Throttle(ctx, limiter, bucket, ref State.Response, _responseWaiter, ctx.ReceivedResponseBody.Length, BandwidthLimitMetrics.ResponseLabel)
            : BodyStatus.Continue;
    }

    public override TrailersStatus OnResponseTrailers(HttpFilterContext ctx)
    {
        if (State.Response.Held)
        {
            State.TrailersWaiting = true; // written when the held data is released
            return TrailersStatus.StopIteration;
        }
        WriteDelayTrailers(ctx);
        return TrailersStatus.Continue;
    }

    public override void OnScheduled(HttpFilterContext ctx, ulong eventId)
    {
        if (State.Limiter is not { } limiter)
        {
            return;
        }
        if (State.Request.Held && limiter.Timer.TakeFired(_requestWaiter, eventId))
        {
            if (Resume(ctx, limiter, ref State.Request, _requestWaiter))
            {
                ctx.ContinueDecoding();
            }
        }
        else if (State.Response.Held && limiter.Timer.TakeFired(_responseWaiter, eventId) &&
            Resume(ctx, limiter, ref State.Response, _responseWaiter))
        {
            if (State.TrailersWaiting)
            {
                State.TrailersWaiting = false;
                WriteDelayTrailers(ctx);
            }
            ctx.ContinueEncoding();
        }
    }

    private void WriteDelayTrailers(HttpFilterContext ctx)
    {
        if (State.Limiter?.Trailers is { } trailers)
        {
            trailers.Write(ctx.ResponseTrailers, in State.Request, in State.Response);
        }
    }

    public override void OnStreamComplete(HttpFilterContext ctx)
    {
        if (State.Limiter is not { } limiter)
        {
            return;
        }
        if (Cancel(limiter, ref State.Request, _requestWaiter))
        {
            ctx.Metrics.Decrease(config.Metrics.Waiting, limiter.Label);
        }
        if (Cancel(limiter, ref State.Response, _responseWaiter))
        {
            ctx.Metrics.Decrease(config.Metrics.Waiting, limiter.Label);
        }
    }

    // Only when stream_complete never ran (no stream access left, so the gauge cannot follow).
    public override void OnDestroy()
    {
        if (State.Limiter is { } limiter)
        {
            Cancel(limiter, ref State.Request, _requestWaiter);
            Cancel(limiter, ref State.Response, _responseWaiter);
        }
    }

    private BandwidthLimiter Limiter(HttpFilterContext ctx)
    {
        if (State.Limiter is { } limiter)
        {
            return limiter;
        }
        ctx.RequestEndOfStreamHooks(); // from here on the stream may wait for its bucket
        return State.Limiter = ctx.RouteConfig<BandwidthLimiter>() ?? config.Limiter;
    }

    private BodyStatus Throttle(HttpFilterContext ctx, BandwidthLimiter limiter, ByteBucket bucket, ref Direction direction,
                                DelayWaiter waiter, long bytes, ReadOnlySpan<byte> directionLabel)
    {
        if (bytes == 0)
        {
            return direction.Held ? BodyStatus.StopIterationAndWatermark : BodyStatus.Continue;
        }
        long now = Stopwatch.GetTimestamp();
        if (direction.FirstFrameAt == 0)
        {
            direction.FirstFrameAt = now;
        }
        direction.Due = Math.Max(direction.Due, bucket.Reserve(bytes, now));
        ctx.Metrics.Increment(config.Metrics.Bytes, limiter.Label, directionLabel, (ulong)bytes);
        if (direction.Held)
        {
            return BodyStatus.StopIterationAndWatermark;
        }
        int delayMs = ByteBucket.MillisecondsUntil(direction.Due, now);
        if (delayMs == 0)
        {
            direction.LastReleaseAt = now;
            return BodyStatus.Continue;
        }
        direction.Held = true;
        direction.HeldSince = now;
        ctx.Metrics.Increment(config.Metrics.Held, limiter.Label, directionLabel);
        ctx.Metrics.Increase(config.Metrics.Waiting, limiter.Label);
        limiter.Timer.Schedule(waiter, ctx.NewScheduler(), delayMs);
        return BodyStatus.StopIterationAndWatermark;
    }

    // The timer fired for this direction: frames that arrived while it was held may have pushed its due
    // time further, so wait again until the last held byte is due; true when the direction may go on.
    private bool Resume(HttpFilterContext ctx, BandwidthLimiter limiter, ref Direction direction, DelayWaiter waiter)
    {
        long now = Stopwatch.GetTimestamp();
        int remainingMs = ByteBucket.MillisecondsUntil(direction.Due, now);
        if (remainingMs > 0)
        {
            limiter.Timer.Schedule(waiter, ctx.NewScheduler(), remainingMs);
            return false;
        }
        direction.Held = false;
        direction.HeldTicks += now - direction.HeldSince;
        direction.LastReleaseAt = now;
        ctx.Metrics.Decrease(config.Metrics.Waiting, limiter.Label);
        ctx.Metrics.Record(config.Metrics.HoldMs, limiter.Label, (ulong)Stopwatch.GetElapsedTime(direction.HeldSince, now).TotalMilliseconds);
        return true;
    }

    private static bool Cancel(BandwidthLimiter limiter, ref Direction direction, DelayWaiter waiter)
    {
        if (!direction.Held)
        {
            return false;
        }
        direction.Held = false;
        limiter.Timer.Cancel(waiter);
        return true;
    }

    internal struct Direction
    {
        public bool Held;
        public long Due;
        public long HeldSince;
        public long FirstFrameAt;    // when the first body frame reached the filter (0: none yet)
        public long LastReleaseAt;   // when the filter last let body data go on
        public long HeldTicks;       // the delay the filter added: all holds together
    }

    internal struct Stream
    {
        public BandwidthLimiter? Limiter;
        public Direction Request;
        public Direction Response;
        public bool TrailersWaiting;   // response trailers arrived while held: written at the release
    }
}
