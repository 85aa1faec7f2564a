using EnvoyExt.DynamicModules.Sdk;
using EnvoyExt.Filters.RateLimit.Global;
using EnvoyExt.Filters.RateLimit.Policy;
using EnvoyExt.Filters.RateLimit.ResponseCost;

namespace EnvoyExt.Filters.RateLimit;

/// <summary>
/// Costs taken from the response (<c>costFrom</c>): the rules that admitted the request are remembered with the
/// bucket the decision charged (<see cref="CostTrackingCounters"/>); the response header, or the JSON body (a
/// bounded prefix, copied while the frames pass on untouched), then says what the request cost, and the excess
/// over the pre-charge goes to that bucket. Policies without such rules never get here (a null check on the
/// request, a zero count on the response).
/// </summary>
internal sealed partial class RateLimitFilter
{
    private ResponseCostTracker? _costs;

    /// <summary>
    /// Decides with a sink that appends the bucket each response-cost rule charged to the stream's pending
    /// charges (after those of an earlier call for the same request, which waited for a lease).
    /// </summary>
    private RateLimitDecision DecideTrackingCosts(in EnvoyRequestView request, CompiledPolicy policy, RuleCounters counters,
        ref DecisionProgress progress)
    {
        ref var state = ref State;
        var sink = new CostTrackingCounters(counters, policy.Rules, (_costs ??= new ResponseCostTracker()).Pending, state.PendingCosts);
        var decision = policy.Decide(in request, ref sink, ref progress);
        if (sink.Count != state.PendingCosts)
        {
            state.CostPolicy = policy;
            state.PendingCosts = sink.Count;
        }
        return decision;
    }

    /// <summary>Remembers a Global response-cost rule charged on <paramref name="bucket"/> after its request waited for a lease, or by the local fallback.</summary>
    private void Track(CompiledPolicy policy, CompiledRule rule, GlobalBucket bucket)
    {
        ref var state = ref State;
        var costs = _costs ??= new ResponseCostTracker();
        if (state.PendingCosts >= costs.Pending.Length)
        {
            return;
        }
        state.CostPolicy = policy;
        costs.Pending[state.PendingCosts++] = new PendingCharge { Rule = rule, Bucket = ChargedBucket.Of(bucket) };
    }

    /// <summary>The request gets a local reply instead of an upstream response: nothing to charge after it.</summary>
    private void DropResponseCosts() => State.PendingCosts = 0;

    private void ReadResponseCostHeaders(HttpFilterContext ctx, bool endOfStream)
    {
        ref var state = ref State;
        var costs = _costs!;
        var headers = ctx.ResponseHeaders;
        int bodyBytes = 0;
        for (int i = 0; i < state.PendingCosts; i++)
        {
            ref var pending = ref costs.Pending[i];
            var source = pending.Rule.ResponseCost!;
            if (source.Header is { } name)
            {
                var reading = headers.TryGet(name, out var value)
                    ? ResponseCostReader.FromHeader(value, out uint cost)
                    : Missing(out cost);
                Settle(ctx, ref pending, reading, cost);
            }
            else
            {
                bodyBytes = Math.Max(bodyBytes, source.MaxBodyBytes);
            }
        }
        if (bodyBytes == 0)
        {
            return;
        }
        if (endOfStream)
        {
            SettleBody(ctx, complete: true);
            return;
        }
        costs.StartBody(bodyBytes);
        state.CollectingBody = true;
    }

    public override BodyStatus OnResponseBody(HttpFilterContext ctx, bool endOfStream)
    {
        if (State.CollectingBody)
        {
            foreach (var chunk in ctx.ReceivedResponseBody)
            {
                _costs!.Append(chunk);
                if (_costs.Truncated)
                {
                    break;
                }
            }
            if (endOfStream)
            {
                SettleBody(ctx, complete: true);
            }
        }
        return BodyStatus.Continue;
    }

    public override TrailersStatus OnResponseTrailers(HttpFilterContext ctx)
    {
        if (State.CollectingBody)
        {
            SettleBody(ctx, complete: true);
        }
        return TrailersStatus.Continue;
    }

    /// <summary>Reads every unsettled body field from the kept prefix and releases it.</summary>
    private void SettleBody(HttpFilterContext ctx, bool complete)
    {
        ref var state = ref State;
        state.CollectingBody = false;
        var costs = _costs!;
        var body = costs.Body;
        bool whole = complete && !costs.Truncated;
        for (int i = 0; i < state.PendingCosts; i++)
        {
            ref var pending = ref costs.Pending[i];
            if (!pending.Settled && pending.Rule.ResponseCost!.BodyPath is { } path)
            {
                var reading = ResponseCostReader.FromJson(body[..Math.Min(body.Length, pending.Rule.ResponseCost.MaxBodyBytes)],
                    whole && body.Length <= pending.Rule.ResponseCost.MaxBodyBytes, path, out uint cost);
                Settle(ctx, ref pending, reading, cost);
            }
        }
        costs.ReleaseBody();
    }

    private void Settle(HttpFilterContext ctx, ref PendingCharge pending, CostReading reading, uint cost)
    {
        pending.Settled = true;
        var policy = State.CostPolicy!;
        if (reading == CostReading.Found)
        {
            pending.Charge(cost, policy.Clock, _config.Global);
            return;
        }
        ctx.Metrics.Increment(_config.Metrics.ResponseCostInvalid, policy.NameUtf8, pending.Rule.NameUtf8);
    }

    private static CostReading Missing(out uint cost)
    {
        cost = 0;
        return CostReading.Missing;
    }

    /// <summary>The stream ends before its body did (reset, say): what the kept prefix says is charged.</summary>
    private void FinishResponseCosts(HttpFilterContext ctx)
    {
        if (State.CollectingBody)
        {
            SettleBody(ctx, complete: false);
        }
    }

    protected override void OnReuse() => _costs?.Clear();
}
