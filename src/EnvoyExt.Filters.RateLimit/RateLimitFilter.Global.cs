using System.Runtime.CompilerServices;
using EnvoyExt.DynamicModules.Sdk;
using EnvoyExt.Filters.RateLimit.Global;
using EnvoyExt.Filters.RateLimit.Policy;

namespace EnvoyExt.Filters.RateLimit;

/// <summary>
/// The slow path of Global rules: a request whose bucket has no leased tokens stops, waits for the bucket's lease
/// without blocking the worker, and resumes in OnScheduled where the decision continues with the next rule.
/// </summary>
internal sealed partial class RateLimitFilter
{
    // Lives as long as this pooled object; every wait takes a new ticket, so late answers are ignored.
    private readonly LeaseWaiter _waiter = new();

    private HeadersStatus WaitForLease(HttpFilterContext ctx, CompiledPolicy policy, ref DecisionProgress progress)
    {
        var rule = policy.Rules[progress.NextRule];
        var global = rule.Global!;
        var backend = _config.Global;
        if (backend is not null)
        {
            backend.Refresh(in ctx);
            long unixMs = global.NowUnixMs();
            ulong ticket = _waiter.Begin();
            if (progress.Pending!.TryWait(backend, _waiter, ticket, ctx.NewScheduler(), rule.Cost, global.WindowOf(unixMs), unixMs))
            {
                ctx.Metrics.Increment(_config.Metrics.Global.LeaseWaits, policy.NameUtf8, rule.NameUtf8);
                ref var state = ref State;
                state.Progress = progress;
                state.WaitingPolicy = policy;
                state.Ticket = ticket;
                return HeadersStatus.StopAllIterationAndWatermark;
            }
        }
        // No connection, not connected, or the queue is full: the failure mode decides at once.
        return ApplyFailure(ctx, policy, ref progress) ? Continue(ctx, policy, ref progress) : HeadersStatus.StopIteration;
    }

    public override void OnScheduled(HttpFilterContext ctx, ulong eventId)
    {
        ref var state = ref State;
        if (state.WaitingPolicy is not { } policy || state.Ticket != eventId)
        {
            return;
        }
        var outcome = _waiter.Take(eventId);
        if (outcome == LeaseOutcome.None)
        {
            return;
        }
        var progress = state.Progress;
        state.WaitingPolicy = null;
        state.Ticket = 0;
        state.Progress = default;
        var rule = policy.Rules[progress.NextRule];
        var global = rule.Global!;
        long unixMs = global.NowUnixMs();
        var ids = _config.Metrics;
        switch (outcome)
        {
            case LeaseOutcome.Charged:
                ctx.Metrics.Increment(ids.Allowed, policy.NameUtf8, rule.NameUtf8);
                if (rule.ResponseCost is not null)
                {
                    Track(policy, rule, progress.Pending!);
                }
                progress.Charged(rule, progress.Pending!.RemainingNow(global.WindowOf(unixMs)), global.TicksUntilReset(unixMs));
                break;
            case LeaseOutcome.Limited when rule.ShadowMode:
                ctx.Metrics.Increment(ids.ShadowLimited, policy.NameUtf8, rule.NameUtf8);
                progress.Skip();
                break;
            case LeaseOutcome.Limited:
                ctx.Metrics.Increment(ids.Limited, policy.NameUtf8, rule.NameUtf8);
                DropResponseCosts();
                SendLimited(ctx, policy, new RateLimitDecision(true, true, rule.Requests, 0,
                    CompiledPolicy.ToSeconds(global.TicksUntilReset(unixMs)), rule));
                return;
            default:
                if (!ApplyFailure(ctx, policy, ref progress))
                {
                    return;
                }
                break;
        }
        if (Continue(ctx, policy, ref progress) == HeadersStatus.Continue)
        {
            ctx.ContinueDecoding();
        }
    }

    /// <summary>
    /// Decides the rules from <see cref="DecisionProgress.NextRule"/>: all of them on the request headers, those
    /// after the one that waited on a resume. Continue: let the request through; StopIteration: it was answered;
    /// StopAllIterationAndWatermark: it waits (for a Global rule's lease).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private HeadersStatus Continue(HttpFilterContext ctx, CompiledPolicy policy, ref DecisionProgress progress)
    {
        var request = new EnvoyRequestView(ctx, policy.Reads);
        var counters = new RuleCounters(ctx.Metrics, _config.Metrics, policy.RuleMetricLabels);
        var decision = policy.ResponseCostRules is null
            ? policy.Decide(in request, ref counters, ref progress)
            : DecideTrackingCosts(in request, policy, counters, ref progress);
        if (progress.Pending is not null)
        {
            return WaitForLease(ctx, policy, ref progress);
        }
        if (decision.Limited)
        {
            DropResponseCosts();
            SendLimited(ctx, policy, decision);
            return HeadersStatus.StopIteration;
        }
        if (decision.HasQuota && policy.Response.RateLimitHeaders)
        {
            // One object reference in the stream state (one GC write barrier); the rest is derived from it.
            ref var quota = ref State;
            quota.Rule = decision.Rule;
            quota.Remaining = decision.Remaining;
            quota.ResetSeconds = decision.ResetSeconds;
        }
        return HeadersStatus.Continue;
    }

    /// <summary>
    /// Redis could not decide for the rule the request waited on. Fail open: the rule's local fallback bucket
    /// decides (true unless it limited). Fail closed: the failure status is sent (false).
    /// </summary>
    private bool ApplyFailure(HttpFilterContext ctx, CompiledPolicy policy, ref DecisionProgress progress)
    {
        var rule = policy.Rules[progress.NextRule];
        var ids = _config.Metrics;
        var backend = _config.Global;
        if (backend is { FailOpen: false })
        {
            ctx.Metrics.Increment(ids.Global.FailClosed, policy.NameUtf8, rule.NameUtf8);
            DropResponseCosts();
            ctx.SendLocalResponse(backend.FailureStatus, default, "rate_limit_global_unavailable"u8);
            return false;
        }
        ctx.Metrics.Increment(ids.Global.FailOpen, policy.NameUtf8, rule.NameUtf8);
        var now = rule.Global!.Clock.NowTicks;
        var charge = progress.Pending!.Fallback.TryCharge(rule.Cost, now);
        if (charge.Allowed)
        {
            ctx.Metrics.Increment(ids.Allowed, policy.NameUtf8, rule.NameUtf8);
            if (rule.ResponseCost is not null)
            {
                // Redis is out of reach: the response's excess becomes debt of the global bucket (see the docs).
                Track(policy, rule, progress.Pending);
            }
            progress.Charged(rule, charge.Remaining, charge.TicksUntilReset);
            return true;
        }
        if (rule.ShadowMode)
        {
            ctx.Metrics.Increment(ids.ShadowLimited, policy.NameUtf8, rule.NameUtf8);
            progress.Skip();
            return true;
        }
        ctx.Metrics.Increment(ids.Limited, policy.NameUtf8, rule.NameUtf8);
        DropResponseCosts();
        SendLimited(ctx, policy, new RateLimitDecision(true, true, rule.Requests, charge.Remaining,
            CompiledPolicy.ToSeconds(charge.TicksUntilReset), rule));
        return false;
    }

    public override void OnStreamComplete(HttpFilterContext ctx)
    {
        CancelWait();
        FinishResponseCosts(ctx);
    }

    public override void OnDestroy() => CancelWait();

    private void CancelWait()
    {
        ref var state = ref State;
        if (state.Ticket != 0)
        {
            state.Progress.Pending?.Cancel(_waiter, state.Ticket);
            state.Ticket = 0;
            state.WaitingPolicy = null;
        }
    }
}
