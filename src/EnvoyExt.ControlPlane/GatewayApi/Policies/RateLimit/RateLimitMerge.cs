using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using EnvoyExt.Filters.RateLimit.Config;

namespace EnvoyExt.ControlPlane.GatewayApi.Policies.RateLimit;

/// <summary>
/// Field-by-field merge of rate-limit documents, the heart of "defaults refine, overrides win".
/// Applying B onto A: scalar fields of B replace A's; response fields replace one by one; rules are
/// keyed by name (a rule with A's name replaces it in place, other rules are appended);
/// <c>disabled: true</c> switches everything off, and any other field switches it back on.
/// Every field remembers which policy set it, so a policy whose value was replaced can be
/// reported Overridden.
/// </summary>
internal sealed class RateLimitMerge : IPolicyMerge<JsonObject, RateLimitConfig>
{
    private readonly JsonObject _document = new();
    private readonly Dictionary<string, string> _setBy = new(StringComparer.Ordinal);

    private readonly List<(string Overridden, string By)> _replacements = [];

    /// <summary>(policy whose value was replaced, policy that replaced it).</summary>
    public IReadOnlyList<(string Overridden, string By)> Replacements => _replacements;

    /// <summary>The policy that applied a document last (names the metric label when the document has no name).</summary>
    public string? LastContributor { get; private set; }

    public bool IsEmpty => _document.Count == 0;

    public bool IsDisabled => _document["disabled"] is JsonValue v && v.TryGetValue(out bool b) && b;

    public void Apply(JsonObject block, string policyKey)
    {
        LastContributor = policyKey;
        if (block["disabled"] is JsonValue d && d.TryGetValue(out bool disabled) && disabled)
        {
            foreach (var owner in _setBy.Values.Distinct())
            {
                Record(owner, policyKey);
            }

            _document.Clear();
            _setBy.Clear();
            _document["disabled"] = true;
            _setBy["disabled"] = policyKey;
            return;
        }

        if (IsDisabled)
        {
            // A more specific default (or a less specific override) with content turns the filter back on.
            _document.Remove("disabled");
            _setBy.Remove("disabled");
        }

        foreach (var (key, value) in block)
        {
            switch (key)
            {
                case "rules" when value is JsonArray rules:
                    MergeRules(rules, policyKey);
                    break;
                case "response" when value is JsonObject response:
                    var target = _document["response"] as JsonObject ?? new JsonObject();
                    _document["response"] = target;
                    foreach (var (field, fieldValue) in response)
                    {
                        Set(target, field, "response." + field, fieldValue, policyKey);
                    }

                    break;
                default:
                    Set(_document, key, key, value, policyKey);
                    break;
            }
        }
    }

    private void MergeRules(JsonArray rules, string policy)
    {
        var existing = _document["rules"] as JsonArray ?? new JsonArray();
        _document["rules"] = existing;
        for (var i = 0; i < rules.Count; i++)
        {
            var rule = rules[i];
            var name = (rule as JsonObject)?["name"]?.GetValue<string>();
            var index = name is null ? -1 : IndexOfRule(existing, name);
            var key = name is null ? $"rules[{policy}#{i}]" : $"rules[{name}]";
            if (index >= 0)
            {
                Track(key, policy);
                existing[index] = rule?.DeepClone();
            }
            else
            {
                _setBy[key] = policy;
                existing.Add(rule?.DeepClone());
            }
        }
    }

    private static int IndexOfRule(JsonArray rules, string name)
    {
        for (var i = 0; i < rules.Count; i++)
        {
            if ((rules[i] as JsonObject)?["name"] is JsonValue v && v.TryGetValue(out string? n) && n == name)
            {
                return i;
            }
        }

        return -1;
    }

    private void Set(JsonObject target, string field, string key, JsonNode? value, string policy)
    {
        Track(key, policy);
        target[field] = value?.DeepClone();
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
    /// merged document cannot be served. The merge must not be used afterwards.
    /// </summary>
    public (RateLimitConfig? Feature, string? Error) Finish()
    {
        if (IsEmpty || IsDisabled)
        {
            return (null, null);
        }

        return RateLimitConfigJson.TryParse(RateLimitPolicyKind.Utf8(Result()), RateLimitConfigLevel.Listener, out var config, out var error)
            ? (config, null)
            : (null, "merged rate-limit configuration is invalid: " + error);
    }

    /// <summary>
    /// The merged document, handed over; a missing name is filled with the last contributing policy
    /// ("namespace/name", shortened with a hash suffix when longer than the filter's label limit, so the
    /// filled-in name can never make a valid merge invalid).
    /// </summary>
    private JsonObject Result()
    {
        if (_document.ContainsKey("name") || LastContributor is null)
        {
            return _document;
        }

        // Put the name first so the emitted JSON reads naturally; nodes are moved, not copied.
        var named = new JsonObject { ["name"] = Label(LastContributor) };
        foreach (var key in _document.Select(kv => kv.Key).ToList())
        {
            var value = _document[key];
            _document.Remove(key);
            named[key] = value;
        }

        return named;
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
