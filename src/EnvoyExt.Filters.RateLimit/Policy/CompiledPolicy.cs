using System.Runtime.CompilerServices;
using System.Text;
using EnvoyExt.DynamicModules.Sdk;
using EnvoyExt.Filters.RateLimit.Buckets;
using EnvoyExt.Filters.RateLimit.Matching;

namespace EnvoyExt.Filters.RateLimit.Policy;

/// <summary>
/// A validated config compiled for the hot path. Shared by every worker: all state that changes per request
/// lives in the buckets (atomics) and the Distinct tables, so deciding is safe from any thread.
/// </summary>
internal sealed class CompiledPolicy
{
    /// <summary>Room for the Distinct key built on the stack; longer keys spill to a pooled array.</summary>
    private const int KeyStackBytes = 256;

    private readonly RateLimitClock _clock;

    // Some header name is read by several conditions: decisions go through a HeaderCache.
    private readonly bool _sharesHeaders;

    public CompiledPolicy(string name, CompiledRule[] rules, LimitedResponse response, RateLimitClock clock)
    {
        Name = name;
        NameUtf8 = Encoding.UTF8.GetBytes(name);
        Rules = rules;
        Response = response;
        foreach (var rule in rules)
        {
            rule.Response = response;
        }
        _clock = clock;
        _sharesHeaders = rules.SelectMany(r => r.Selectors).SelectMany(s => s.Headers).Any(h => h.CacheSlot >= 0);
        Reads = rules.SelectMany(r => r.Selectors).Aggregate(RequestAttributes.None, (all, s) => all | s.Reads);
        RuleMetricLabels = rules.Select(r => new MetricLabels(NameUtf8, r.NameUtf8)).ToArray();
    }

    /// <summary>Per rule (same order as <see cref="Rules"/>): the metric labels {policy, rule}, laid out once.</summary>
    public MetricLabels[] RuleMetricLabels { get; }

    /// <summary>Request attributes (besides headers) any selector reads.</summary>
    public RequestAttributes Reads { get; }

    public string Name { get; }

    /// <summary>Metric label value "policy", encoded once.</summary>
    public byte[] NameUtf8 { get; }

    /// <summary>Strictest first (fewest requests per second); ties keep config order.</summary>
    public CompiledRule[] Rules { get; }

    public LimitedResponse Response { get; }

    /// <summary>The clock the buckets run on (charges after the response read it too).</summary>
    public RateLimitClock Clock => _clock;

    /// <summary>
    /// Indexes into <see cref="Rules"/> of the rules whose cost comes from the response (ascending), or null when
    /// there are none, so the plain request path pays one null check.
    /// </summary>
    public int[]? ResponseCostRules { get; init; }

    /// <summary>The listener-level <c>global</c> block (the Redis connection), when the document has one.</summary>
    public Config.GlobalRateLimitSettings? GlobalSettings { get; init; }

    /// <summary>
    /// Charges every matching rule, strictest first, until one has too few tokens (that one limits the request
    /// and later rules are not charged). An exhausted shadow rule is recorded and skipped.
    /// <paramref name="results"/> (one per rule, same order as <see cref="Rules"/>) receives what happened.
    /// </summary>
    public RateLimitDecision Decide<TRequest>(in TRequest request, Span<RuleResult> results)
        where TRequest : IRequestView, allows ref struct
    {
        DecisionProgress progress = default;
        return Decide(in request, results, ref progress);
    }

    /// <summary>
    /// As above, resumable: starts at <see cref="DecisionProgress.NextRule"/> and, when a Global rule has no
    /// leased tokens, stops there with <see cref="DecisionProgress.Pending"/> set (the request waits for the
    /// lease, then the caller records that rule's outcome and calls again). Entries of rules this call does not
    /// reach or count are <c>default</c>.
    /// </summary>
    public RateLimitDecision Decide<TRequest>(in TRequest request, Span<RuleResult> results, ref DecisionProgress progress)
        where TRequest : IRequestView, allows ref struct
    {
        results = results[..Rules.Length];
        results.Clear();
        var sink = new ResultsSink(results);
        return Decide(in request, ref sink, ref progress);
    }

    /// <summary>
    /// The decision itself: every counted rule's outcome goes to <paramref name="sink"/> as it happens (the
    /// filter's sink increments the counters), resumable as above.
    /// </summary>
    public RateLimitDecision Decide<TRequest, TSink>(in TRequest request, ref TSink sink, ref DecisionProgress progress)
        where TRequest : IRequestView, allows ref struct
        where TSink : struct, IDecisionSink, allows ref struct =>
        _sharesHeaders
            ? Decide<TRequest, HeaderCache, TSink>(in request, ref sink, ref progress)
            : Decide<TRequest, DirectHeaderReader, TSink>(in request, ref sink, ref progress);

    private RateLimitDecision Decide<TRequest, THeaders, TSink>(in TRequest request, ref TSink sink, ref DecisionProgress progress)
        where TRequest : IRequestView, allows ref struct
        where THeaders : struct, IHeaderReader, allows ref struct
        where TSink : struct, IDecisionSink, allows ref struct
    {
        scoped THeaders headers = default;
        var key = new DistinctKeyBuilder(stackalloc byte[KeyStackBytes]);
        try
        {
            var rules = Rules;
            // Read the clock lazily (requests that match no rule never pay for it), and once per request.
            long now = long.MinValue;
            var quotaRule = progress.QuotaRule;
            uint quotaRemaining = progress.QuotaRemaining;
            long quotaTicks = progress.QuotaTicks;
            progress.Pending = null;
            for (int i = progress.NextRule; i < rules.Length; i++)
            {
                var rule = rules[i];
                if (!rule.MatchesEveryRequest && !rule.AppliesTo(in request, ref headers, ref key))
                {
                    continue;
                }
                if (now == long.MinValue)
                {
                    now = _clock.NowTicks;
                }
                bool evicted = false;
                ChargeResult charge;
                if (rule.Global is null)
                {
                    if (rule.MatchesEveryRequest || key.IsEmpty)
                    {
                        charge = rule.SharedBucket.TryCharge(rule.Cost, now);
                        if (sink.KeepsChargedBuckets && charge.Allowed && rule.ResponseCost is not null)
                        {
                            sink.Admitted(i, ChargedBucket.Of(rule.SharedBucket));
                        }
                    }
                    else if (sink.KeepsChargedBuckets && rule.ResponseCost is not null)
                    {
                        charge = rule.DistinctBuckets!.Charge(key.Key, rule.Cost, now, out evicted, out var entry);
                        if (charge.Allowed)
                        {
                            sink.Admitted(i, ChargedBucket.Of(entry));
                        }
                    }
                    else
                    {
                        charge = rule.DistinctBuckets!.Charge(key.Key, rule.Cost, now, out evicted);
                    }
                }
                else
                {
                    var global = rule.Global;
                    var globalBucket = rule.MatchesEveryRequest || key.IsEmpty
                        ? global.Shared
                        : global.Distinct!.GetOrAdd(key.Key, now, out evicted);
                    if (!global.TryCharge(globalBucket, rule.Cost, now, out charge))
                    {
                        progress = new DecisionProgress
                        {
                            NextRule = i,
                            QuotaRule = quotaRule,
                            QuotaRemaining = quotaRemaining,
                            QuotaTicks = quotaTicks,
                            Pending = globalBucket,
                            PendingEvicted = evicted,
                        };
                        return RateLimitDecision.NoMatch;
                    }
                    if (sink.KeepsChargedBuckets && charge.Allowed && rule.ResponseCost is not null)
                    {
                        sink.Admitted(i, ChargedBucket.Of(globalBucket));
                    }
                }
                if (charge.Allowed)
                {
                    sink.Record(i, RuleOutcome.Allowed, evicted);
                    if (!rule.ShadowMode && (quotaRule is null || charge.Remaining < quotaRemaining))
                    {
                        quotaRule = rule;
                        quotaRemaining = charge.Remaining;
                        quotaTicks = charge.TicksUntilReset;
                    }
                }
                else if (rule.ShadowMode)
                {
                    sink.Record(i, RuleOutcome.ShadowLimited, evicted);
                }
                else
                {
                    sink.Record(i, RuleOutcome.Limited, evicted);
                    return new RateLimitDecision(true, true, rule.Requests, charge.Remaining, ToSeconds(charge.TicksUntilReset), rule);
                }
            }
            return quotaRule is not null
                ? new RateLimitDecision(false, true, quotaRule.Requests, quotaRemaining, ToSeconds(quotaTicks), quotaRule)
                : RateLimitDecision.NoMatch;
        }
        finally
        {
            key.Dispose();
        }
    }

    /// <summary>Whole seconds until the window resets, rounded up (a client waiting that long will get tokens).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static long ToSeconds(long ticks) => Math.Max(1, (ticks + TimeSpan.TicksPerSecond - 1) / TimeSpan.TicksPerSecond);
}
