using EnvoyExt.ControlPlane.Resources;
using EnvoyExt.Filters.RateLimit.Config;

namespace EnvoyExt.ControlPlane.GatewayApi.Policies.RateLimit;

/// <summary>
/// One <c>shared</c> bucket name, one shape per Envoy listener. The filter keeps the buckets of a name once per
/// listener (its own document and every per-route document), so rules that name it from different policies
/// must agree on <c>type</c> and <c>limit</c>, which no single merge can see. The oldest policy's rule defines the
/// name (creation timestamp, then namespace/name; within one policy defaults before overrides, then rule
/// order); a rule of another policy that disagrees is left out of every document of the listener and its
/// policy is reported, naming the field and the defining policy. The rest of each document is served.
/// </summary>
internal static class SharedBucketCheck
{
    /// <summary>Where a merged rule was written: merges share the parsed blocks' rule objects, so a rule is found by reference.</summary>
    private sealed record Origin(RateLimitPolicy Policy, bool IsOverride, int Index, string Field);

    public static IReadOnlyDictionary<RateLimitConfig, RateLimitConfig>? Check(
        IReadOnlyCollection<RateLimitConfig> documents,
        IReadOnlyCollection<RateLimitPolicy> policies,
        Func<bool, string> blockField,
        Func<System.Text.Json.Nodes.JsonObject, RateLimitConfig> parsed,
        Action<string, string> report)
    {
        var byName = new Dictionary<string, List<RateLimitRule>>(StringComparer.Ordinal);
        var seen = new HashSet<RateLimitRule>(ReferenceEqualityComparer.Instance);
        foreach (var rule in documents.SelectMany(d => d.Rules ?? []))
        {
            if (rule.Shared is { } name && seen.Add(rule))
            {
                if (!byName.TryGetValue(name, out var rules))
                {
                    byName[name] = rules = [];
                }

                rules.Add(rule);
            }
        }

        if (!byName.Values.Any(rules => rules.Count > 1))
        {
            return null;
        }

        var origins = Origins(policies, blockField, parsed);
        var leftOut = new HashSet<RateLimitRule>(ReferenceEqualityComparer.Instance);
        foreach (var (name, rules) in byName.OrderBy(n => n.Key, StringComparer.Ordinal))
        {
            // A rule no policy wrote cannot be reported; it only takes part as a possible definition.
            var ordered = rules.Where(origins.ContainsKey).Select(r => (Rule: r, Origin: origins[r]))
                .OrderBy(r => r.Origin, Comparer<Origin>.Create(Compare)).ToList();
            if (ordered.Count < 2)
            {
                continue;
            }

            var (first, definedBy) = ordered[0];
            foreach (var (rule, origin) in ordered.Skip(1))
            {
                if (RateLimitFilterContract.SharedBucketConflict(first, rule) is { } what)
                {
                    leftOut.Add(rule);
                    var by = ReferenceEquals(origin.Policy, definedBy.Policy) ? "this policy" : definedBy.Policy.Metadata.Key;
                    report(origin.Policy.Metadata.Key,
                        $"{origin.Field}.shared: \"{name}\" is also used by {by} ({definedBy.Field}, {Shape(first)}) with a different {what}; " +
                        $"the older definition is kept and this rule is not served on this listener");
                }
            }
        }

        if (leftOut.Count == 0)
        {
            return null;
        }

        var served = new Dictionary<RateLimitConfig, RateLimitConfig>(ReferenceEqualityComparer.Instance);
        foreach (var document in documents)
        {
            if (document.Rules is { } rules && rules.Exists(leftOut.Contains))
            {
                served[document] = new RateLimitConfig
                {
                    Name = document.Name,
                    Rules = rules.Where(r => !leftOut.Contains(r)).ToList(),
                    MaxDistinctBuckets = document.MaxDistinctBuckets,
                    Global = document.Global,
                    Response = document.Response,
                };
            }
        }

        return served;
    }

    private static Dictionary<RateLimitRule, Origin> Origins(
        IReadOnlyCollection<RateLimitPolicy> policies, Func<bool, string> blockField, Func<System.Text.Json.Nodes.JsonObject, RateLimitConfig> parsed)
    {
        var origins = new Dictionary<RateLimitRule, Origin>(ReferenceEqualityComparer.Instance);
        foreach (var policy in policies)
        {
            foreach (var (isOverride, block) in new[] { (false, policy.Defaults), (true, policy.Overrides) })
            {
                var rules = block is null ? null : parsed(block).Rules;
                for (var i = 0; i < (rules?.Count ?? 0); i++)
                {
                    origins.TryAdd(rules![i], new Origin(policy, isOverride, i, $"{blockField(isOverride)}.rules[{i}]"));
                }
            }
        }

        return origins;
    }

    private static int Compare(Origin a, Origin b)
    {
        var c = PolicyAge.Compare(a.Policy, b.Policy);
        if (c == 0)
        {
            c = a.IsOverride.CompareTo(b.IsOverride);
        }

        return c != 0 ? c : a.Index.CompareTo(b.Index);
    }

    private static string Shape(RateLimitRule rule) => $"{rule.Type}, {rule.Limit!.Requests} per {rule.Limit.Unit}";
}
