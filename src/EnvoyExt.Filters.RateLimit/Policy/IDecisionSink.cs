namespace EnvoyExt.Filters.RateLimit.Policy;

/// <summary>
/// Receives each counted rule's outcome while a decision runs, in rule order. The filter's sink increments
/// the per-rule counters at once, so a decision needs no per-rule result array and no second pass over it.
/// </summary>
internal interface IDecisionSink
{
    void Record(int rule, RuleOutcome outcome, bool evictedDistinctBucket);
}

/// <summary>Writes outcomes into a span, one entry per rule (tests and benchmarks read them back).</summary>
internal readonly ref struct ResultsSink(Span<RuleResult> results) : IDecisionSink
{
    private readonly Span<RuleResult> _results = results;

    public void Record(int rule, RuleOutcome outcome, bool evictedDistinctBucket) =>
        _results[rule] = new RuleResult { Outcome = outcome, EvictedDistinctBucket = evictedDistinctBucket };
}
