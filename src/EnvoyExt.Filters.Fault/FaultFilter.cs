using System.Buffers.Text;
using EnvoyExt.DynamicModules.Sdk;
using EnvoyExt.Filters.Timing;

namespace EnvoyExt.Filters.Fault;

/// <summary>
/// Decides on request headers whether the request gets a fault (the route's rule, else the listener's):
/// a delay holds the request until the rule's timer tells the stream's scheduler, then the request goes
/// on or is aborted; an abort answers locally. An active fault is counted against the rule's cap until
/// the stream completes (destroy is the last-resort release). A request without a fault costs a route
/// lookup (only while the factory has route documents) and at most two draws of this object's generator.
/// </summary>
internal sealed class FaultFilter(FaultFilterConfig config, ObjectRandom random) : HttpFilter<FaultFilter.Stream>
{
    private readonly DelayWaiter _waiter = new();
    private ObjectRandom _random = random;

    // The end hooks release an active fault: only a stream that entered one has work there.
    protected override EndOfStreamHooks EndOfStreamHooks => EndOfStreamHooks.WhenRequested;

    // OnStreamComplete releases the fault; OnDestroy only covers a stream that never completed.
    protected override bool DestroyAfterStreamComplete => false;

    public override HeadersStatus OnRequestHeaders(HttpFilterContext ctx, bool endOfStream)
    {
        var rule = (config.RouteDocuments.Any ? ctx.RouteConfig<FaultRule>() : null) ?? config.Rule;
        var plan = rule.Plan(ctx.RequestHeaders, ref _random);
        if (plan.IsNone)
        {
            return HeadersStatus.Continue;
        }
        if (!rule.TryEnter())
        {
            ctx.Metrics.Increment(config.Metrics.Overflow, rule.Label);
            return HeadersStatus.Continue;
        }
        State.Rule = rule;
        State.Plan = plan;
        ctx.RequestEndOfStreamHooks(); // the active fault is released at the end of the stream
        ctx.Metrics.Increase(config.Metrics.Active, rule.Label);
        if (plan.DelayMs == 0)
        {
            Abort(ctx, rule, plan);
            return HeadersStatus.StopIteration;
        }
        ctx.Metrics.Increment(config.Metrics.Delays, rule.Label);
        State.Delayed = true;
        rule.Timer.Schedule(_waiter, ctx.NewScheduler(), plan.DelayMs);
        return HeadersStatus.StopAllIterationAndWatermark;
    }

    public override void OnScheduled(HttpFilterContext ctx, ulong eventId)
    {
        if (!State.Delayed || State.Rule is not { } rule || !rule.Timer.TakeFired(_waiter, eventId))
        {
            return;
        }
        State.Delayed = false;
        if (State.Plan.Abort)
        {
            Abort(ctx, rule, State.Plan);
        }
        else
        {
            ctx.ContinueDecoding();
        }
    }

    public override void OnStreamComplete(HttpFilterContext ctx)
    {
        if (State.Rule is not { } rule)
        {
            return;
        }
        Release(rule);
        ctx.Metrics.Decrease(config.Metrics.Active, rule.Label);
    }

    // Only when stream_complete never ran (no stream access left, so the gauge cannot follow).
    public override void OnDestroy()
    {
        if (State.Rule is { } rule)
        {
            Release(rule);
        }
    }

    private void Release(FaultRule rule)
    {
        if (State.Delayed)
        {
            State.Delayed = false;
            rule.Timer.Cancel(_waiter);
        }
        State.Rule = null;
        rule.Exit();
    }

    private void Abort(HttpFilterContext ctx, FaultRule rule, FaultPlan plan)
    {
        ctx.Metrics.Increment(config.Metrics.Aborts, rule.Label);
        var headers = new HeaderList(stackalloc byte[192]);
        if (plan.GrpcAbort)
        {
            Span<byte> digits = stackalloc byte[4];
            Utf8Formatter.TryFormat(plan.Status, digits, out int written);
            headers.Add("content-type"u8, "application/grpc"u8);
            headers.Add("grpc-status"u8, digits[..written]);
            headers.Add("grpc-message"u8, "fault filter abort"u8);
            ctx.SendLocalResponse(200, headers, default, "fault_filter_abort"u8);
            return;
        }
        ctx.SendLocalResponse(plan.Status, headers, "fault filter abort\n"u8, "fault_filter_abort"u8);
    }

    internal struct Stream
    {
        public FaultRule? Rule;
        public FaultPlan Plan;
        public bool Delayed;
    }
}
