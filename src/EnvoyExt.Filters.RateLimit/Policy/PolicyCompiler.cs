using System.Text;
using EnvoyExt.Filters.RateLimit.Buckets;
using EnvoyExt.Filters.RateLimit.Config;
using EnvoyExt.Filters.RateLimit.Matching;

namespace EnvoyExt.Filters.RateLimit.Policy;

/// <summary>Turns a validated <see cref="RateLimitConfig"/> into a <see cref="CompiledPolicy"/> (config time only).</summary>
internal static class PolicyCompiler
{
    public const int DefaultMaxDistinctBuckets = 10_000;

    /// <summary>
    /// <paramref name="shared"/>: the listener's registry that rules with <c>shared</c> take their buckets from;
    /// null compiles them with buckets of their own (a per-route document before it is bound to a listener).
    /// </summary>
    public static CompiledPolicy Compile(RateLimitConfig config, RateLimitClock clock, SharedBucketRegistry? shared = null)
    {
        long now = clock.NowTicks;
        int maxDistinct = config.MaxDistinctBuckets ?? DefaultMaxDistinctBuckets;
        string policyName = config.Name ?? "default";
        var rules = (config.Rules ?? [])
            .Select((rule, index) => CompileRule(rule, index, maxDistinct, now, policyName, clock, shared))
            .ToList();
        // Strictest first: fewer requests per second. Compared as cross products (no rounding); the
        // stable sort keeps config order for equal rates.
        var ordered = rules
            .OrderBy(r => r, Comparer<CompiledRule>.Create(static (a, b) =>
                (a.Requests * b.UnitSeconds).CompareTo(b.Requests * a.UnitSeconds)))
            .ToArray();
        AssignHeaderCacheSlots(ordered);
        var responseCostRules = Enumerable.Range(0, ordered.Length).Where(i => ordered[i].ResponseCost is not null).ToArray();
        return new CompiledPolicy(policyName, ordered, new LimitedResponse(config.Response), clock)
        {
            GlobalSettings = config.Global,
            ResponseCostRules = responseCostRules.Length > 0 ? responseCostRules : null,
        };
    }

    /// <summary>
    /// Names that more than one condition reads get a <see cref="HeaderCache"/> slot, most-read first, so each is
    /// fetched from Envoy once per request; a name read by one condition goes straight to Envoy.
    /// </summary>
    private static void AssignHeaderCacheSlots(CompiledRule[] rules)
    {
        var conditions = rules.SelectMany(r => r.Selectors).SelectMany(s => s.Headers).ToList();
        var shared = conditions
            .GroupBy(c => Convert.ToHexString(c.LowerCaseName))
            .Where(g => g.Count() > 1)
            .OrderByDescending(g => g.Count())
            .Take(HeaderCache.Slots)
            .Select((group, slot) => (group, slot));
        foreach (var (group, slot) in shared)
        {
            foreach (var condition in group)
            {
                condition.CacheSlot = slot;
            }
        }
    }

    private static CompiledRule CompileRule(RateLimitRule rule, int index, int maxDistinct, long now, string policyName,
        RateLimitClock clock, SharedBucketRegistry? registry)
    {
        var limit = rule.Limit!;
        var selectors = (rule.ClientSelectors ?? []).Select(CompileSelector).ToArray();
        bool hasDistinct = selectors.Any(s => s.HasDistinct);
        string name = rule.Name ?? $"rule-{index}";
        var shared = rule.Shared is { } sharedName && registry is not null
            ? registry.GetOrAdd(sharedName, rule.Type, (uint)limit.Requests, UnitSeconds(limit.Unit), hasDistinct, maxDistinct)
            : null;
        // A shared bucket's first definition decides its limit (see SharedBucketRegistry).
        uint requests = shared?.Requests ?? (uint)limit.Requests;
        long unitSeconds = shared?.UnitSeconds ?? UnitSeconds(limit.Unit);
        var type = shared?.Type ?? rule.Type;
        long windowTicks = unitSeconds * TimeSpan.TicksPerSecond;
        return new CompiledRule(name, index, selectors, requests,
            windowTicks, unitSeconds, Math.Min((uint)(rule.Cost ?? 1), requests), rule.ShadowMode, maxDistinct, now, shared)
        {
            Global = type != RateLimitType.Global
                ? null
                : shared?.Global ?? new Global.GlobalRule(policyName, name, requests, windowTicks, maxDistinct, hasDistinct, clock),
            ResponseCost = rule.CostFrom is { } costFrom ? new ResponseCost.CompiledCostSource(costFrom) : null,
        };
    }

    /// <summary>Window lengths; Month and Year are fixed 30 and 365 days (windows every replica computes alike).</summary>
    internal static long UnitSeconds(RateLimitUnit unit) => unit switch
    {
        RateLimitUnit.Second => 1,
        RateLimitUnit.Minute => 60,
        RateLimitUnit.Hour => 3600,
        RateLimitUnit.Day => 86400,
        RateLimitUnit.Week => 7 * 86400,
        RateLimitUnit.Month => 30 * 86400,
        _ => 365 * 86400,
    };

    private static CompiledSelector CompileSelector(ClientSelector selector, int index)
    {
        var headers = (selector.Headers ?? []).Select(h => new HeaderCondition(
            Utf8(h.Name!.ToLowerInvariant()), h.Type, Utf8(h.Value ?? ""), RegexFor(h.Type, h.Value), h.Invert)).ToArray();
        var methods = (selector.Methods ?? []).Select(m => new MethodCondition(Utf8(m.Value!), m.Invert)).ToArray();
        var path = selector.Path is { } p
            ? new PathCondition(p.Type, Utf8(p.Value!),
                p.Type == PathMatchType.RegularExpression ? Matcher(p.Value!) : null, p.Invert)
            : null;
        var cidr = selector.SourceCidr is { } c
            ? new SourceCidrCondition(IpCidr.TryParse(c.Value!, out _)!, c.Type, c.Invert)
            : null;
        var query = (selector.QueryParams ?? []).Select(q => new QueryParamCondition(
            Utf8(q.Name!), q.Type, Utf8(q.Value ?? ""), RegexFor(q.Type, q.Value), q.Invert)).ToArray();
        bool hasDistinct = headers.Any(h => h.Type == ValueMatchType.Distinct) ||
            selector.SourceCidr?.Type == SourceCidrMatchType.Distinct ||
            (selector.QueryParams ?? []).Any(q => q.Type == ValueMatchType.Distinct);
        return new CompiledSelector(index, methods, path, headers, cidr, query, hasDistinct);
    }

    private static Utf8RegexMatcher? RegexFor(ValueMatchType type, string? value) =>
        type == ValueMatchType.RegularExpression ? Matcher(value!) : null;

    // The validator already compiled every pattern, so creating it again cannot fail here.
    private static Utf8RegexMatcher Matcher(string pattern) => new(pattern, RegexFactory.TryCreateFullMatch(pattern, out _)!);

    private static byte[] Utf8(string value) => Encoding.UTF8.GetBytes(value);
}
