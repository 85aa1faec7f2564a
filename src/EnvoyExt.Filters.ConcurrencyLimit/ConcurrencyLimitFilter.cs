using EnvoyExt.DynamicModules.Sdk;

namespace EnvoyExt.Filters.ConcurrencyLimit;

/// <summary>
/// Admits a request into its limiter (the route's, else the listener's) on request headers, queues or
/// rejects it with a 503 when the limit is reached, and frees the slot when the stream completes, is reset
/// or ends in a local reply (stream_complete runs in every case; destroy is the last-resort release).
/// </summary>
internal sealed class ConcurrencyLimitFilter(ConcurrencyLimitFilterConfig config, ObjectRandom random) : HttpFilter<ConcurrencyLimitFilter.Stream>
{
    // The queue node lives as long as this pooled object; the owner always takes it out before reuse.
    private readonly QueueWaiter _waiter = new();

    // Adaptive limits: draws which admissions are measured.
    private ObjectRandom _random = random;

    // OnStreamComplete frees the slot on every ending; OnDestroy only covers a stream that never completed.
    protected override bool DestroyAfterStreamComplete => false;

    public override HeadersStatus OnRequestHeaders(HttpFilterContext ctx, bool endOfStream)
    {
        var routeLimiter = config.RouteDocuments.Any ? ctx.RouteConfig<ConcurrencyLimiter>() : null;
        if (routeLimiter is not null)
        {
            State.RouteLimiter = routeLimiter;
        }
        var limiter = routeLimiter ?? config.Limiter;
        if (limiter.TryAcquire())
        {
            Admitted(ctx, limiter);
            return HeadersStatus.Continue;
        }
        if (!limiter.HasQueue)
        {
            return Reject(ctx, limiter, "full"u8, "concurrency_limited"u8);
        }
        switch (limiter.EnqueueOrAcquire(_waiter, ctx.NewScheduler()))
        {
            case Admission.Acquired:
                Admitted(ctx, limiter);
                return HeadersStatus.Continue;
            case Admission.Queued:
                State.Queued = true;
                ctx.Metrics.Increase(config.Metrics.Queued, limiter.Label);
                return HeadersStatus.StopAllIterationAndWatermark;
            default:
                return Reject(ctx, limiter, "full"u8, "concurrency_limited"u8);
        }
    }

    public override void OnScheduled(HttpFilterContext ctx, ulong eventId)
    {
        if (!State.Queued)
        {
            return;
        }
        var limiter = State.RouteLimiter ?? config.Limiter;
        var outcome = limiter.TakeOutcome(_waiter, eventId);
        if (outcome == WaiterState.None)
        {
            return;
        }
        LeftQueue(ctx, limiter);
        if (outcome == WaiterState.Granted)
        {
            Admitted(ctx, limiter);
            ctx.ContinueDecoding();
        }
        else
        {
            Reject(ctx, limiter, "queue_timeout"u8, "concurrency_limit_queue_timeout"u8);
        }
    }

    public override void OnStreamComplete(HttpFilterContext ctx)
    {
        if (!State.HoldsSlot && !State.Queued)
        {
            return;
        }
        var limiter = State.RouteLimiter ?? config.Limiter;
        if (State.Queued)
        {
            LeftQueue(ctx, limiter);
            if (limiter.Cancel(_waiter, out _))
            {
                // Granted while its event was on the way: the slot passes on, the count may have moved.
                limiter.Release();
                limiter.PublishInFlight(ctx.Metrics, config.Metrics.InFlight);
            }
        }
        if (State.HoldsSlot)
        {
            State.HoldsSlot = false;
            if (State.Weight != 0 && limiter.RecordCompletion(State.AdmittedAt, State.Weight))
            {
                var adaptive = limiter.Adaptive!;
                ctx.Metrics.Set(config.Metrics.Limit, limiter.Label, (ulong)adaptive.Limit);
                ctx.Metrics.Set(config.Metrics.MinRttMicros, limiter.Label, (ulong)adaptive.MinRttMicros);
            }
            limiter.Release();
            limiter.PublishInFlight(ctx.Metrics, config.Metrics.InFlight);
        }
    }

    // Only when stream_complete never ran (no stream access left: the next admission or release of any
    // stream brings the in-flight gauge up to date).
    public override void OnDestroy()
    {
        if (!State.HoldsSlot && !State.Queued)
        {
            return;
        }
        var limiter = State.RouteLimiter ?? config.Limiter;
        if (State.Queued)
        {
            State.Queued = false;
            if (limiter.Cancel(_waiter, out _))
            {
                limiter.Release();
            }
        }
        if (State.HoldsSlot)
        {
            State.HoldsSlot = false;
            limiter.Release();
        }
    }

    private void Admitted(HttpFilterContext ctx, ConcurrencyLimiter limiter)
    {
        State.HoldsSlot = true;
        if (limiter.Adaptive is { } adaptive && adaptive.ShouldMeasure(ref _random, out State.Weight))
        {
            State.AdmittedAt = adaptive.Now();
        }
        limiter.PublishInFlight(ctx.Metrics, config.Metrics.InFlight);
    }

    private void LeftQueue(HttpFilterContext ctx, ConcurrencyLimiter limiter)
    {
        State.Queued = false;
        ctx.Metrics.Decrease(config.Metrics.Queued, limiter.Label);
    }

    private HeadersStatus Reject(HttpFilterContext ctx, ConcurrencyLimiter limiter, ReadOnlySpan<byte> reason, ReadOnlySpan<byte> details)
    {
        ctx.Metrics.Increment(config.Metrics.Rejected, limiter.Label, reason);
        var headers = new HeaderList(stackalloc byte[128]);
        headers.Add("x-envoyext-concurrency-limited"u8, reason);
        ctx.SendLocalResponse(503, headers, "concurrency limit reached\n"u8, details);
        return HeadersStatus.StopIteration;
    }

    internal struct Stream
    {
        public ConcurrencyLimiter? RouteLimiter;   // null: the listener's (a reference store costs a GC write barrier)
        public bool HoldsSlot;
        public bool Queued;
        public int Weight;        // adaptive limits: 0, or this request's latency is measured and stands for this many
        public long AdmittedAt;   // ...from the clock's timestamp of admission
    }
}
