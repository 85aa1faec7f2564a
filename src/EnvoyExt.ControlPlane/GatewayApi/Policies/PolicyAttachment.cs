using EnvoyExt.ControlPlane.GatewayApi.Status;
using EnvoyExt.ControlPlane.Ir;
using EnvoyExt.ControlPlane.Resources;

namespace EnvoyExt.ControlPlane.GatewayApi.Policies;

/// <summary>
/// The attachment engine for one policy kind: attaches policies to their targets, resolves
/// precedence and reports GEP-713 status; the kind only validates and merges blocks.
///
/// Precedence (most specific first): route rule &gt; route &gt; listener &gt; gateway.
/// Effective feature for a route = defaults applied from the gateway down to the rule (each level
/// refines the previous), then overrides applied from the rule up to the gateway (so the least
/// specific override is applied last and wins). One policy per slot: the oldest
/// (creationTimestamp, then namespace/name) wins, the others are Conflicted.
///
/// Fail closed: when the merged result cannot be served and an override takes part, the weakest
/// blocks are left out (first the defaults from the gateway down, then overrides from the rule up)
/// until it can; each left-out block's policy is reported Invalid for that route. An override is
/// therefore never switched off by a weaker block.
/// </summary>
internal sealed class PolicyAttachment<TPolicy, TSpec, TFeature> : IPolicyAttachment
    where TPolicy : PolicyResource<TSpec>
    where TSpec : class
    where TFeature : class
{
    private readonly PolicyKind<TPolicy, TSpec, TFeature> _kind;
    private readonly Dictionary<PolicySlot, AttachedPolicy<TPolicy>> _winners = [];
    private readonly Dictionary<Chain, Effective> _cache = [];
    private readonly Dictionary<TFeature, IrFilterFeatures> _featureSets = new(ReferenceEqualityComparer.Instance);
    private readonly PolicyStatusBuilder _status;
    private readonly PolicyContext _context;

    public PolicyAttachment(PolicyKind<TPolicy, TSpec, TFeature> kind, IReadOnlyList<TPolicy> policies, PolicyTargets targets, PolicyContext context)
    {
        _kind = kind;
        _context = context;
        _status = new PolicyStatusBuilder(kind.Kind);
        var bySlot = new Dictionary<PolicySlot, List<AttachedPolicy<TPolicy>>>();
        foreach (var policy in policies)
        {
            _status.Register(policy);
            var invalid = Validate(policy);
            for (var t = 0; t < policy.TargetRefs.Count; t++)
            {
                var ancestors = targets.AncestorsOf(policy, policy.TargetRefs[t]);
                if (invalid is not null)
                {
                    _status.Set(policy, ancestors, Reasons.Invalid, invalid);
                    continue;
                }

                var (slot, problem) = targets.Resolve(policy, t);
                if (slot is null)
                {
                    _status.Set(policy, ancestors, problem!.Value.Reason, problem.Value.Message);
                    continue;
                }

                if (!bySlot.TryGetValue(slot.Value, out var list))
                {
                    bySlot[slot.Value] = list = [];
                }

                list.Add(new AttachedPolicy<TPolicy>(policy, t, slot.Value));
                _status.Set(policy, ancestors, Reasons.Accepted, "policy accepted");
            }

            if (policy.TargetRefs.Count == 0)
            {
                _status.Set(policy, [_status.SelfAncestor(policy)], Reasons.Invalid, "spec.targetRefs: at least one target is required");
            }
        }

        foreach (var (slot, candidates) in bySlot)
        {
            candidates.Sort(AttachedPolicy<TPolicy>.CompareAge);
            _winners[slot] = candidates[0];
            foreach (var loser in candidates.Skip(1))
            {
                var target = loser.Policy.TargetRefs[loser.TargetIndex];
                _status.Set(loser.Policy, targets.AncestorsOf(loser.Policy, target), Reasons.Conflicted,
                    $"spec.targetRefs[{loser.TargetIndex}]: {candidates[0].Key} already attaches a {kind.Kind} to {slot} and is older");
            }
        }
    }

    /// <summary>A block left out of a route's merge so that the stronger ones can be served.</summary>
    private sealed record NotInForce(string Policy, string Message);

    /// <summary>
    /// The result of resolving one chain of policies: the feature (null = nothing to do), which
    /// policies had fields replaced by which, the blocks left out, and the error when nothing
    /// servable could be merged.
    /// </summary>
    private sealed record Effective(
        TFeature? Feature,
        IReadOnlyList<(string Overridden, string By)> Replacements,
        IReadOnlyList<NotInForce> LeftOut,
        string? MostSpecificPolicy,
        string? Error)
    {
        public static Effective None { get; } = new(null, [], [], null, null);
    }

    /// <summary>The winners a place collects, gateway first (null where a level has no policy); the merge cache key.</summary>
    private readonly record struct Chain(
        AttachedPolicy<TPolicy>? Gateway, AttachedPolicy<TPolicy>? Listener, AttachedPolicy<TPolicy>? Route, AttachedPolicy<TPolicy>? Rule)
    {
        public bool IsEmpty => Gateway is null && Listener is null && Route is null && Rule is null;

        /// <summary>The winners present, least specific first.</summary>
        public List<AttachedPolicy<TPolicy>> ToList()
        {
            var list = new List<AttachedPolicy<TPolicy>>(4);
            foreach (var p in new[] { Gateway, Listener, Route, Rule })
            {
                if (p is not null)
                {
                    list.Add(p);
                }
            }

            return list;
        }
    }

    public IrFilterFeatures ApplyToListener(IrFilterFeatures features, string gatewayKey, string listener) =>
        With(features, Resolve(new Chain(Winner(PolicySlots.Gateway(gatewayKey)), Winner(PolicySlots.Listener(gatewayKey, listener)), null, null)).Feature);

    public IrFilterFeatures ApplyToRoute(IrFilterFeatures features, PolicyPlace place, string irRouteName)
    {
        var effective = Resolve(new Chain(
            Winner(PolicySlots.Gateway(place.GatewayKey)),
            Winner(PolicySlots.Listener(place.GatewayKey, place.Listener)),
            Winner(PolicySlots.Route(place.RouteKind, place.RouteKey)),
            place.RuleName is null ? null : Winner(PolicySlots.Rule(place.RouteKind, place.RouteKey, place.RuleName))));
        foreach (var (overridden, by) in effective.Replacements)
        {
            _status.RecordOverride(overridden, by, irRouteName);
        }

        foreach (var leftOut in effective.LeftOut)
        {
            _status.RecordMergeError(leftOut.Policy, $"{irRouteName}: {leftOut.Message}");
        }

        if (effective.Error is not null && effective.MostSpecificPolicy is not null)
        {
            _status.RecordMergeError(effective.MostSpecificPolicy, $"{irRouteName}: {effective.Error}");
        }

        return With(features, effective.Feature);
    }

    public (IrFilterFeatures Listener, List<IrVirtualHost> VirtualHosts) CheckListener(
        string irListenerName, IrFilterFeatures listener, List<IrVirtualHost> virtualHosts)
    {
        var features = new HashSet<TFeature>(ReferenceEqualityComparer.Instance);
        if (listener.Get(_kind.Feature) is { } own)
        {
            features.Add(own);
        }

        foreach (var route in virtualHosts.SelectMany(v => v.Routes))
        {
            if (route.Filters.Get(_kind.Feature) is { } feature)
            {
                features.Add(feature);
            }
        }

        if (features.Count == 0)
        {
            return (listener, virtualHosts);
        }

        var policies = _winners.Values.Select(w => w.Policy).Distinct().ToList();
        var replaced = _kind.CheckListener(features, policies, (policy, message) => _status.RecordMergeError(policy, $"{irListenerName}: {message}"));
        if (replaced is null || replaced.Count == 0)
        {
            return (listener, virtualHosts);
        }

        // Routes that carried one features object still share one.
        var rewritten = new Dictionary<IrFilterFeatures, IrFilterFeatures>(ReferenceEqualityComparer.Instance);
        IrFilterFeatures Rewrite(IrFilterFeatures from)
        {
            if (from.Get(_kind.Feature) is not { } feature || !replaced.TryGetValue(feature, out var served))
            {
                return from;
            }

            if (!rewritten.TryGetValue(from, out var to))
            {
                rewritten[from] = to = _kind.ApplyFeature(from, served);
            }

            return to;
        }

        var hosts = virtualHosts.Select(v => v with
        {
            Routes = v.Routes.Select(r => Rewrite(r.Filters) is var filters && !ReferenceEquals(filters, r.Filters) ? r with { Filters = filters } : r).ToList(),
        }).ToList();
        return (Rewrite(listener), hosts);
    }

    public IReadOnlyList<PolicyStatus> Statuses() => _status.Build();

    /// <summary>Routes without other features share one features object per effective value.</summary>
    private IrFilterFeatures With(IrFilterFeatures features, TFeature? feature)
    {
        if (feature is null || !features.IsEmpty)
        {
            return _kind.ApplyFeature(features, feature);
        }

        if (!_featureSets.TryGetValue(feature, out var shared))
        {
            _featureSets[feature] = shared = _kind.ApplyFeature(IrFilterFeatures.None, feature);
        }

        return shared;
    }

    private AttachedPolicy<TPolicy>? Winner(PolicySlot slot) => _winners.GetValueOrDefault(slot);

    private Effective Resolve(Chain key)
    {
        if (key.IsEmpty)
        {
            return Effective.None;
        }

        // Many routes share a chain (every route under one Gateway policy), so results are cached by it.
        if (_cache.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var chain = key.ToList();

        // Strength order: each block beats the ones before it.
        var blocks = new List<(TSpec Block, string Policy, bool IsOverride)>(chain.Count * 2);
        foreach (var p in chain)
        {
            if (p.Policy.Defaults is { } defaults)
            {
                blocks.Add((defaults, p.Key, false));
            }
        }

        for (var i = chain.Count - 1; i >= 0; i--)
        {
            if (chain[i].Policy.Overrides is { } overrides)
            {
                blocks.Add((overrides, chain[i].Key, true));
            }
        }

        var mostSpecific = chain[^1].Key;
        var (feature, replacements, error) = Merge(blocks, 0);
        Effective result;
        if (error is null)
        {
            result = new Effective(feature, replacements, [], mostSpecific, null);
        }
        else if (!blocks.Any(b => b.IsOverride))
        {
            // Defaults alone: the pieces were valid alone but not together (e.g. too many rules);
            // nothing is served for these routes and the most specific policy says why.
            result = new Effective(null, replacements, [], mostSpecific, error);
        }
        else
        {
            result = FailClosed(blocks, mostSpecific, error);
        }

        _cache[key] = result;
        return result;
    }

    /// <summary>Leaves out the weakest blocks until the rest can be served; the strongest block alone always can.</summary>
    private Effective FailClosed(List<(TSpec Block, string Policy, bool IsOverride)> blocks, string mostSpecific, string firstError)
    {
        var leftOut = new List<NotInForce>();
        var error = firstError;
        for (var skip = 1; skip < blocks.Count; skip++)
        {
            var (policy, isOverride) = (blocks[skip - 1].Policy, blocks[skip - 1].IsOverride);
            leftOut.Add(new NotInForce(policy,
                $"{_kind.BlockField(isOverride)} is not in force: {error}; the stronger {(blocks[^1].IsOverride ? "override" : "policy")} of {blocks[^1].Policy} is served without it"));
            var (feature, replacements, next) = Merge(blocks, skip);
            if (next is null)
            {
                return new Effective(feature, replacements, leftOut, mostSpecific, null);
            }

            error = next;
        }

        // Unreachable for valid blocks (each was validated alone); serve nothing and say why.
        return new Effective(null, [], leftOut, mostSpecific, error);
    }

    private (TFeature? Feature, IReadOnlyList<(string Overridden, string By)> Replacements, string? Error) Merge(
        List<(TSpec Block, string Policy, bool IsOverride)> blocks, int skip)
    {
        var merge = _kind.NewMerge(_context);
        for (var i = skip; i < blocks.Count; i++)
        {
            merge.Apply(blocks[i].Block, blocks[i].Policy);
        }

        var (feature, error) = merge.Finish();
        return (feature, merge.Replacements, error);
    }

    private string? Validate(TPolicy policy)
    {
        if (policy.Defaults is null && policy.Overrides is null)
        {
            return $"spec: at least one of {Relative(_kind.BlockField(false))} and {Relative(_kind.BlockField(true))} is required";
        }

        foreach (var (isOverride, block) in new[] { (false, policy.Defaults), (true, policy.Overrides) })
        {
            if (block is not null && _kind.ValidateBlock(block, _kind.BlockField(isOverride)) is { } error)
            {
                return error;
            }

            if (block is not null && _kind.ValidateReferences(policy, block, _kind.BlockField(isOverride), _context) is { } referenceError)
            {
                return referenceError;
            }
        }

        for (var t = 0; t < policy.TargetRefs.Count; t++)
        {
            var target = policy.TargetRefs[t];
            if (target.Group != GroupNames.GatewayApi || !_kind.TargetKinds.Contains(target.Kind))
            {
                var what = target.Group.Length == 0 ? "core " + target.Kind : target.Group + "/" + target.Kind;
                return $"spec.targetRefs[{t}]: {what} cannot be targeted; use a {Alternatives(_kind.TargetKinds)} of group {GroupNames.GatewayApi}";
            }
        }

        return null;
    }

    private static string Relative(string field) => field.StartsWith("spec.", StringComparison.Ordinal) ? field[5..] : field;

    private static string Alternatives(IReadOnlyList<string> kinds) =>
        kinds.Count == 1 ? kinds[0] : string.Join(", ", kinds.Take(kinds.Count - 1)) + " or " + kinds[^1];
}
