using System.Security.Cryptography;
using System.Text;
using EnvoyExt.Filters.RateLimit.Config;

namespace EnvoyExt.ControlPlane.GatewayApi.Policies.RateLimit;

/// <summary>
/// Field-by-field merge of rate-limit documents, the heart of "defaults refine, overrides win".
/// Applying B onto A: scalar fields of B replace A's; response fields replace one by one; rules are
/// keyed by name (a rule with A's name replaces it in place, other rules are appended);
/// <c>disabled: true</c> switches everything off, and any other field switches it back on.
/// Every field remembers which policy set it, so a policy whose value was replaced can be
/// reported Overridden.
///
/// Blocks are the contract's DTOs, parsed and validated once per policy block
/// (<see cref="RateLimitPolicyKind"/>); the merge builds a new document and never changes them, so
/// rules and header lists are shared, not copied.
/// </summary>
internal sealed class RateLimitMerge(Func<System.Text.Json.Nodes.JsonObject, RateLimitConfig> parsed) : IPolicyMerge<System.Text.Json.Nodes.JsonObject, RateLimitConfig>
{
    private readonly Dictionary<string, string> _setBy = new(StringComparer.Ordinal);
    private readonly List<(string Overridden, string By)> _replacements = [];
    private RateLimitConfig _document = new();
    private bool _disabled;

    /// <summary>(policy whose value was replaced, policy that replaced it).</summary>
    public IReadOnlyList<(string Overridden, string By)> Replacements => _replacements;

    /// <summary>The policy that applied a document last (names the metric label when the document has no name).</summary>
    public string? LastContributor { get; private set; }

    private bool IsEmpty => !_disabled && _document.Name is null && _document.Rules is null
        && _document.MaxDistinctBuckets is null && _document.Response is null;

    public void Apply(System.Text.Json.Nodes.JsonObject block, string policyKey) => Apply(parsed(block), policyKey);

    public void Apply(RateLimitConfig block, string policyKey)
    {
        LastContributor = policyKey;
        if (block.Disabled)
        {
            foreach (var owner in _setBy.Values.Distinct().ToList())
            {
                Record(owner, policyKey);
            }

            _document = new RateLimitConfig();
            _setBy.Clear();
            _disabled = true;
            _setBy["disabled"] = policyKey;
            return;
        }

        if (_disabled)
        {
            // A more specific default (or a less specific override) with content turns the filter back on.
            _disabled = false;
            _setBy.Remove("disabled");
        }

        if (block.Name is { } name)
        {
            Track("name", policyKey);
            _document.Name = name;
        }

        if (block.Rules is { } rules)
        {
            MergeRules(rules, policyKey);
        }

        if (block.MaxDistinctBuckets is { } max)
        {
            Track("maxDistinctBuckets", policyKey);
            _document.MaxDistinctBuckets = max;
        }

        if (block.Response is { } response)
        {
            MergeResponse(response, policyKey);
        }
    }

    private void MergeRules(List<RateLimitRule> rules, string policy)
    {
        var existing = _document.Rules ??= [];
        for (var i = 0; i < rules.Count; i++)
        {
            var rule = rules[i];
            var index = rule.Name is null ? -1 : existing.FindIndex(r => r.Name == rule.Name);
            var key = rule.Name is null ? $"rules[{policy}#{i}]" : $"rules[{rule.Name}]";
            if (index >= 0)
            {
                Track(key, policy);
                existing[index] = rule;
            }
            else
            {
                _setBy[key] = policy;
                existing.Add(rule);
            }
        }
    }

    private void MergeResponse(RateLimitResponse response, string policy)
    {
        var target = _document.Response ??= new RateLimitResponse();
        if (response.StatusCode is { } status)
        {
            Track("response.statusCode", policy);
            target.StatusCode = status;
        }

        if (response.Body is { } body)
        {
            Track("response.body", policy);
            target.Body = body;
        }

        if (response.Headers is { } headers)
        {
            Track("response.headers", policy);
            target.Headers = headers;
        }

        if (response.RateLimitHeaders is { } rateLimitHeaders)
        {
            Track("response.rateLimitHeaders", policy);
            target.RateLimitHeaders = rateLimitHeaders;
        }

        if (response.RateLimitHeadersFormat is { } format)
        {
            Track("response.rateLimitHeadersFormat", policy);
            target.RateLimitHeadersFormat = format;
        }

        if (response.RetryAfter is { } retryAfter)
        {
            Track("response.retryAfter", policy);
            target.RetryAfter = retryAfter;
        }
    }

    private void Track(string key, string policy)
    {
        if (_setBy.TryGetValue(key, out var owner) && owner != policy)
        {
            Record(owner, policy);
        }

        _setBy[key] = policy;
    }

    private void Record(string overridden, string by)
    {
        if (overridden != by && !_replacements.Contains((overridden, by)))
        {
            _replacements.Add((overridden, by));
        }
    }

    /// <summary>
    /// The filter's config for the merged document (null when empty or switched off), or why the
    /// merged document cannot be served. A missing name is filled with the last contributing policy
    /// ("namespace/name", shortened with a hash suffix when longer than the filter's label limit, so
    /// the filled-in name can never make a valid merge invalid). The merge must not be used afterwards.
    /// </summary>
    public (RateLimitConfig? Feature, string? Error) Finish()
    {
        if (IsEmpty || _disabled)
        {
            return (null, null);
        }

        if (_document.Name is null && LastContributor is not null)
        {
            _document.Name = Label(LastContributor);
        }

        // Route level: Global rules are served with the listener's connection (the GatewayClass's Redis,
        // checked when the policy is attached), never with a global block of their own.
        return RateLimitConfigJson.Validate(_document, RateLimitConfigLevel.Route) is { } error
            ? (null, "merged rate-limit configuration is invalid: " + error)
            : (_document, null);
    }

    private static string Label(string policyKey)
    {
        if (policyKey.Length <= RateLimitFilterContract.MaxLabelLength)
        {
            return policyKey;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(policyKey)), 0, 4);
        return policyKey[..(RateLimitFilterContract.MaxLabelLength - hash.Length - 1)] + "~" + hash;
    }
}
