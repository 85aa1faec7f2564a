using System.Runtime.CompilerServices;
using EnvoyExt.Filters.RateLimit.Policy;
using EnvoyExt.Filters.RateLimit.ResponseCost;

namespace EnvoyExt.Filters.RateLimit;

/// <summary>
/// The decision sink for policies with response-cost rules: counts like <see cref="RuleCounters"/> and appends,
/// for each such rule that admitted the request, the bucket the decision charged to the stream's pending
/// charges, so the response's cost goes to exactly that bucket. Only these rules write a reference.
/// </summary>
internal ref struct CostTrackingCounters(RuleCounters counters, CompiledRule[] rules, PendingCharge[] pending, int count) : IDecisionSink
{
    private readonly RuleCounters _counters = counters;
    private readonly CompiledRule[] _rules = rules;
    private readonly PendingCharge[] _pending = pending;
    private int _count = count;

    /// <summary>How many entries of the pending array belong to the stream now.</summary>
    public readonly int Count => _count;

    public readonly bool KeepsChargedBuckets => true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Record(int rule, RuleOutcome outcome, bool evictedDistinctBucket) =>
        _counters.Record(rule, outcome, evictedDistinctBucket);

    public void Admitted(int rule, in ChargedBucket bucket)
    {
        if (_count < _pending.Length)
        {
            _pending[_count++] = new PendingCharge { Rule = _rules[rule], Bucket = bucket };
        }
    }
}
