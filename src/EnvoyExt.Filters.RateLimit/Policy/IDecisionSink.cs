namespace EnvoyExt.Filters.RateLimit.Policy;

/// <summary>
/// Receives each counted rule's outcome while a decision runs, in rule order. The filter's sink increments
/// the per-rule counters at once, so a decision needs no per-rule result array and no second pass over it.
/// </summary>
internal interface IDecisionSink
{
    /// <summary>
    /// Whether <see cref="Admitted"/> wants the buckets of response-cost rules. A constant of each sink type: the
    /// decision is compiled per sink type, so for a sink that answers false the check and the calls fold away.
    /// </summary>
    bool KeepsChargedBuckets { get; }

    void Record(int rule, RuleOutcome outcome, bool evictedDistinctBucket);

    /// <summary>Rule <paramref name="rule"/>, which takes its cost from the response, admitted the request on <paramref name="bucket"/> (before its <see cref="Record"/>).</summary>
    void Admitted(int rule, in ChargedBucket bucket);
}

/// <summary>Writes outcomes into a span, one entry per rule (tests and benchmarks read them back).</summary>
internal readonly ref struct ResultsSink(Span<RuleResult> results) : IDecisionSink
{
    private readonly Span<RuleResult> _results = results;

    public bool KeepsChargedBuckets => false;

    public void Record(int rule, RuleOutcome outcome, bool evictedDistinctBucket) =>
        _results[rule] = new RuleResult { Outcome = outcome, EvictedDistinctBucket = evictedDistinctBucket };

    public void Admitted(int rule, in ChargedBucket bucket)
    {
    }
}
