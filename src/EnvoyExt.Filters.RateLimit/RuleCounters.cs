using System.Runtime.CompilerServices;
using EnvoyExt.DynamicModules.Sdk;
using EnvoyExt.Filters.RateLimit.Policy;

namespace EnvoyExt.Filters.RateLimit;

/// <summary>
/// The decision sink of the filter: increments the rule's counter (labels {policy, rule}, laid out at config
/// time) as soon as the rule is decided, and remembers which rules allowed the request (their response costs
/// are charged later). A policy has at most 64 rules, so one bit per rule.
/// </summary>
internal ref struct RuleCounters(StreamMetrics metrics, RateLimitMetrics ids, MetricLabels[] labels) : IDecisionSink
{
    private readonly StreamMetrics _metrics = metrics;
    private readonly RateLimitMetrics _ids = ids;
    private readonly MetricLabels[] _labels = labels;

    /// <summary>Bit i: rule i allowed the request in this decision.</summary>
    public ulong Allowed { get; private set; }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Record(int rule, RuleOutcome outcome, bool evictedDistinctBucket)
    {
        if (outcome == RuleOutcome.Allowed)
        {
            Allowed |= 1UL << rule;
        }
        var labels = _labels[rule];
        var counter = outcome switch
        {
            RuleOutcome.Allowed => _ids.Allowed,
            RuleOutcome.Limited => _ids.Limited,
            _ => _ids.ShadowLimited,
        };
        _metrics.Increment(counter, labels);
        if (evictedDistinctBucket)
        {
            _metrics.Increment(_ids.DistinctEvictions, labels);
        }
    }
}
