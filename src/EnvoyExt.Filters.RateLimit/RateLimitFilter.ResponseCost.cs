using EnvoyExt.DynamicModules.Sdk;
using EnvoyExt.Filters.RateLimit.Buckets;
using EnvoyExt.Filters.RateLimit.Global;
using EnvoyExt.Filters.RateLimit.Matching;
using EnvoyExt.Filters.RateLimit.Policy;
using EnvoyExt.Filters.RateLimit.ResponseCost;

namespace EnvoyExt.Filters.RateLimit;

/// <summary>
/// Costs taken from the response (<c>costFrom</c>): the rules that admitted the request are remembered with the
/// bucket they charged; the response header, or the JSON body (a bounded prefix, copied while the frames pass on
/// untouched), then says what the request cost, and the excess over the pre-charge goes to the same bucket.
/// Policies without such rules never get here (a null check on the request, a zero count on the response).
/// </summary>
internal sealed partial class RateLimitFilter
{
    private ResponseCostTracker? _costs;

    /// <summary>Remembers the response-cost rules from <paramref name="from"/> on that <paramref name="results"/> says were charged.</summary>
    private void TrackResponseCosts(in EnvoyRequestView request, CompiledPolicy policy, int[] costRules, ulong allowed)
    {
        foreach (int index in costRules)
        {
            if ((allowed & (1UL << index)) != 0)
            {
                Track(in request, policy, index, null);
            }
        }
    }

    /// <summary>Remembers rule <paramref name="index"/>, charged on <paramref name="globalBucket"/> or on the bucket its selectors pick.</summary>
    private void Track(in EnvoyRequestView request, CompiledPolicy policy, int index, GlobalBucket? globalBucket)
    {
        var rule = policy.Rules[index];
        if (rule.ResponseCost is null)
        {
            return;
        }
        ref var state = ref State;
        var costs = _costs ??= new ResponseCostTracker();
        if (state.PendingCosts >= costs.Pending.Length)
        {
            return;
        }
        var pending = new PendingCharge { Rule = rule, Global = globalBucket };
        if (globalBucket is null)
        {
            ResolveBucket(in request, policy, rule, ref pending);
        }
        state.CostPolicy = policy;
        costs.Pending[state.PendingCosts++] = pending;
    }

    // The decision does not hand out the bucket it charged; the rule's selectors pick it again (same request, same
    // bucket). Only response-cost rules pay for this second match.
    private static void ResolveBucket(in EnvoyRequestView request, CompiledPolicy policy, CompiledRule rule, ref PendingCharge pending)
    {
        bool distinct = rule.Global is { } g ? g.Distinct is not null : rule.DistinctBuckets is not null;
        var key = new DistinctKeyBuilder(stackalloc byte[256]);
        try
        {
            DirectHeaderReader headers = default;
            if (distinct && !rule.MatchesEveryRequest)
            {
                rule.AppliesTo(in request, ref headers, ref key);
            }
            if (rule.Global is { } global)
            {
                pending.Global = key.IsEmpty ? global.Shared : global.Distinct!.GetOrAdd(key.Key, policy.Clock.NowTicks, out _);
            }
            else if (key.IsEmpty)
            {
                pending.Local = rule.SharedBucket;
            }
            else
            {
                pending.Distinct = rule.DistinctBuckets!.Lookup(key.Key, DistinctBucketTable.Hash(key.Key));
            }
        }
        finally
        {
            key.Dispose();
        }
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
