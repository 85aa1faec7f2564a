using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using EnvoyExt.ControlPlane.GatewayApi.Status;
using EnvoyExt.ControlPlane.Resources;
using EnvoyExt.Filters.RateLimit.Config;

namespace EnvoyExt.ControlPlane.GatewayApi.Policies;

/// <summary>
/// Attaches RateLimitPolicies to their targets, resolves precedence and reports GEP-713 status.
///
/// Precedence (most specific first): route rule &gt; route &gt; listener &gt; gateway.
/// Effective config for a route = defaults applied from the gateway down to the rule (each level
/// refines the previous field by field), then overrides applied from the rule up to the gateway
/// (so the least specific override is applied last and wins). One policy per slot: the oldest
/// (creationTimestamp, then namespace/name) wins, the others are Conflicted.
/// </summary>
internal sealed class RateLimitPolicyResolver
{
    private const string PolicyKind = "RateLimitPolicy";
    private static readonly HashSet<string> TargetKinds = ["Gateway", "HTTPRoute", "GRPCRoute"];

    private readonly Dictionary<string, AttachedPolicy> _winners = new(StringComparer.Ordinal);
    private readonly Dictionary<string, EffectiveRateLimit> _cache = new(StringComparer.Ordinal);
    private readonly PolicyStatusBuilder _status;

    public RateLimitPolicyResolver(
        IReadOnlyList<RateLimitPolicy> policies,
        IReadOnlyDictionary<string, List<ListenerState>> ourGateways,
        IReadOnlyDictionary<string, TranslatedRoute> routes)
    {
        _status = new PolicyStatusBuilder(ourGateways);
        var bySlot = new Dictionary<string, List<AttachedPolicy>>(StringComparer.Ordinal);
        foreach (var policy in policies)
        {
            _status.Register(policy);
            var invalid = Validate(policy);
            for (var t = 0; t < policy.TargetRefs.Count; t++)
            {
                var target = policy.TargetRefs[t];
                var ancestors = _status.AncestorsOf(policy, target, routes);
                if (invalid is not null)
                {
                    _status.Set(policy, ancestors, Reasons.Invalid, invalid);
                    continue;
                }

                var (slot, problem) = Resolve(policy, t, ourGateways, routes);
                if (slot is null)
                {
                    _status.Set(policy, ancestors, problem!.Value.Reason, problem.Value.Message);
                    continue;
                }

                if (!bySlot.TryGetValue(slot, out var list))
                {
                    bySlot[slot] = list = [];
                }

                list.Add(new AttachedPolicy(policy, t, slot));
                _status.Set(policy, ancestors, Reasons.Accepted, "policy accepted");
            }

            if (policy.TargetRefs.Count == 0)
            {
                _status.Set(policy, [_status.SelfAncestor(policy)], Reasons.Invalid, "spec.targetRefs: at least one target is required");
            }
        }

        foreach (var (slot, candidates) in bySlot)
        {
            candidates.Sort(AttachedPolicy.CompareAge);
            _winners[slot] = candidates[0];
            foreach (var loser in candidates.Skip(1))
            {
                var target = loser.Policy.TargetRefs[loser.TargetIndex];
                _status.Set(loser.Policy, _status.AncestorsOf(loser.Policy, target, routes), Reasons.Conflicted,
                    $"spec.targetRefs[{loser.TargetIndex}]: {candidates[0].Key} already attaches a RateLimitPolicy to {slot} and is older");
            }
        }
    }

    /// <summary>Effective config of the listener itself (Gateway and listener policies only).</summary>
    public EffectiveRateLimit ForListener(string gatewayKey, string listener) =>
        Resolve([PolicySlots.Gateway(gatewayKey), PolicySlots.Listener(gatewayKey, listener)]);

    /// <summary>Effective config of one route rule reached through one listener.</summary>
    public EffectiveRateLimit ForRoute(string gatewayKey, string listener, string routeKind, string routeKey, string? ruleName, string irRouteName)
    {
        var slots = new List<string>(4)
        {
            PolicySlots.Gateway(gatewayKey),
            PolicySlots.Listener(gatewayKey, listener),
            PolicySlots.Route(routeKind, routeKey),
        };
        if (ruleName is not null)
        {
            slots.Add(PolicySlots.Rule(routeKind, routeKey, ruleName));
        }

        var effective = Resolve(slots);
        foreach (var (overridden, by) in effective.Replacements)
        {
            _status.RecordOverride(overridden, by, irRouteName);
        }

        if (effective.Error is not null && effective.MostSpecificPolicy is not null)
        {
            _status.RecordMergeError(effective.MostSpecificPolicy, $"{irRouteName}: {effective.Error}");
        }

        return effective;
    }

    public IReadOnlyList<PolicyStatus> Statuses() => _status.Build();

    private EffectiveRateLimit Resolve(List<string> slots)
    {
        var chain = slots.Select(s => _winners.GetValueOrDefault(s)).Where(p => p is not null).Select(p => p!).ToList();
        if (chain.Count == 0)
        {
            return EffectiveRateLimit.None;
        }

        // Many routes share a chain (every route under one Gateway policy), so results are cached by it.
        var cacheKey = string.Join("|", chain.Select(p => p.Key + "@" + p.Slot));
        if (_cache.TryGetValue(cacheKey, out var cached))
        {
            return cached;
        }

        var merge = new RateLimitMerge();
        foreach (var p in chain.Where(p => p.Policy.Defaults is not null))
        {
            merge.Apply(p.Policy.Defaults!, p.Key);
        }

        for (var i = chain.Count - 1; i >= 0; i--)
        {
            if (chain[i].Policy.Overrides is { } overrides)
            {
                merge.Apply(overrides, chain[i].Key);
            }
        }

        EffectiveRateLimit result;
        if (merge.IsEmpty || merge.IsDisabled)
        {
            result = new EffectiveRateLimit(null, merge.Replacements, chain[^1].Key, null);
        }
        else if (RateLimitConfigJson.TryParse(Utf8(merge.Result()), RateLimitConfigLevel.Listener, out var config, out var error))
        {
            result = new EffectiveRateLimit(config, merge.Replacements, chain[^1].Key, null);
        }
        else
        {
            // The pieces were valid alone but not together (e.g. more than 64 rules): no config is
            // emitted for these routes and the most specific policy says why.
            result = new EffectiveRateLimit(null, merge.Replacements, chain[^1].Key, "merged rate-limit configuration is invalid: " + error);
        }

        _cache[cacheKey] = result;
        return result;
    }

    private static string? Validate(RateLimitPolicy policy)
    {
        if (policy.Defaults is null && policy.Overrides is null)
        {
            return "spec: at least one of defaults.rateLimit and overrides.rateLimit is required";
        }

        foreach (var (field, document) in new[] { ("spec.defaults.rateLimit", policy.Defaults), ("spec.overrides.rateLimit", policy.Overrides) })
        {
            if (document is null)
            {
                continue;
            }

            // Route level accepts {"disabled": true}, which a policy may use to switch limiting off (an exemption).
            if (!RateLimitConfigJson.TryParse(Utf8(document), RateLimitConfigLevel.Route, out _, out var error))
            {
                return $"{field}.{error}";
            }
        }

        for (var t = 0; t < policy.TargetRefs.Count; t++)
        {
            var target = policy.TargetRefs[t];
            if (target.Group != GroupNames.GatewayApi || !TargetKinds.Contains(target.Kind))
            {
                var what = target.Group.Length == 0 ? "core " + target.Kind : target.Group + "/" + target.Kind;
                return $"spec.targetRefs[{t}]: {what} cannot be targeted; use a Gateway, HTTPRoute or GRPCRoute of group {GroupNames.GatewayApi}";
            }
        }

        return null;
    }

    private static (string? Slot, (string Reason, string Message)? Problem) Resolve(
        RateLimitPolicy policy, int index,
        IReadOnlyDictionary<string, List<ListenerState>> ourGateways,
        IReadOnlyDictionary<string, TranslatedRoute> routes)
    {
        var target = policy.TargetRefs[index];
        var key = policy.Metadata.Namespace + "/" + target.Name;
        var field = $"spec.targetRefs[{index}]";
        if (target.Kind == "Gateway")
        {
            if (!ourGateways.TryGetValue(key, out var listeners))
            {
                return (null, (Reasons.TargetNotFound, $"{field}: Gateway {key} not found (or not managed by {ControllerIdentity.ControllerName})"));
            }

            if (target.SectionName is null)
            {
                return (PolicySlots.Gateway(key), null);
            }

            return listeners.Any(l => l.Listener.Name == target.SectionName)
                ? (PolicySlots.Listener(key, target.SectionName), null)
                : (null, (Reasons.TargetNotFound, $"{field}.sectionName: Gateway {key} has no listener named {target.SectionName}"));
        }

        if (!routes.TryGetValue(target.Kind + "/" + key, out var route))
        {
            return (null, (Reasons.TargetNotFound, $"{field}: {target.Kind} {key} not found"));
        }

        if (target.SectionName is null)
        {
            return (PolicySlots.Route(target.Kind, key), null);
        }

        return route.RuleNames.Contains(target.SectionName)
            ? (PolicySlots.Rule(target.Kind, key, target.SectionName), null)
            : (null, (Reasons.TargetNotFound, $"{field}.sectionName: {target.Kind} {key} has no rule named {target.SectionName}"));
    }

    internal static string Kind => PolicyKind;

    /// <summary>UTF-8 JSON straight from the node tree: the filter's parser reads bytes, so no string is built.</summary>
    private static byte[] Utf8(JsonObject document)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            document.WriteTo(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
