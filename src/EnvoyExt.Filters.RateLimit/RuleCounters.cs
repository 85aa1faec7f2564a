using System.Runtime.CompilerServices;
using EnvoyExt.DynamicModules.Sdk;
using EnvoyExt.Filters.RateLimit.Policy;

namespace EnvoyExt.Filters.RateLimit;

/// <summary>
/// The decision sink of the filter: increments the rule's counter (labels {policy, rule}, laid out at config
/// time) as soon as the rule is decided. Policies with response-cost rules decide through
/// <see cref="CostTrackingCounters"/>, which adds the buckets those rules charged.
/// </summary>
internal readonly ref struct RuleCounters(StreamMetrics metrics, RateLimitMetrics ids, MetricLabels[] labels) : IDecisionSink
{
    private readonly StreamMetrics _metrics = metrics;
    private readonly RateLimitMetrics _ids = ids;
    private readonly MetricLabels[] _labels = labels;

    public bool KeepsChargedBuckets => false;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Record(int rule, RuleOutcome outcome, bool evictedDistinctBucket)
    {
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

    public void Admitted(int rule, in ChargedBucket bucket)
    {
    }
}
