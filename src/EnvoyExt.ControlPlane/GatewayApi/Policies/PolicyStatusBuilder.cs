using EnvoyExt.ControlPlane.GatewayApi.Status;
using EnvoyExt.ControlPlane.Resources;

namespace EnvoyExt.ControlPlane.GatewayApi.Policies;

/// <summary>
/// Collects GEP-713 ancestor status for the policies of one kind (ancestors: see
/// <see cref="PolicyTargets.AncestorsOf"/>).
/// </summary>
internal sealed class PolicyStatusBuilder(string kind)
{
    private const int MaxAncestors = 16;

    /// <summary>Merge errors shown per policy; later ones (other routes) are not kept, so a policy left out on every route costs nothing per route.</summary>
    private const int MaxMergeErrors = 5;

    private sealed class Entry(PolicyResource policy)
    {
        public PolicyResource Policy { get; } = policy;

        public Dictionary<ParentRefStatus, (string Reason, string Message)> Ancestors { get; } = [];

        public SortedDictionary<string, SortedSet<string>> OverriddenBy { get; } = new(StringComparer.Ordinal);

        public List<string> MergeErrors { get; } = [];
    }

    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public void Register(PolicyResource policy) => _entries[policy.Metadata.Key] = new Entry(policy);

    /// <summary>The policy itself as the ancestor, when it names no target at all.</summary>
    public ParentRefStatus SelfAncestor(PolicyResource policy)
    {
        var slash = policy.ApiVersion.IndexOf('/', StringComparison.Ordinal);
        var group = slash < 0 ? "" : policy.ApiVersion[..slash];
        return new(group, kind, policy.Metadata.Namespace, policy.Metadata.Name, null, null);
    }

    /// <summary>Sets the Accepted outcome for ancestors; a failure is never downgraded back to Accepted by another target.</summary>
    public void Set(PolicyResource policy, IReadOnlyList<ParentRefStatus> ancestors, string reason, string message)
    {
        var entry = _entries[policy.Metadata.Key];
        foreach (var ancestor in ancestors)
        {
            if (reason == Reasons.Accepted && entry.Ancestors.TryGetValue(ancestor, out var existing) && existing.Reason != Reasons.Accepted)
            {
                continue;
            }

            entry.Ancestors[ancestor] = (reason, message);
        }
    }

    public void RecordOverride(string overridden, string by, string route)
    {
        if (_entries.TryGetValue(overridden, out var entry))
        {
            if (!entry.OverriddenBy.TryGetValue(by, out var routes))
            {
                entry.OverriddenBy[by] = routes = new SortedSet<string>(StringComparer.Ordinal);
            }

            routes.Add(route);
        }
    }

    public void RecordMergeError(string policy, string message)
    {
        if (_entries.TryGetValue(policy, out var entry) && entry.MergeErrors.Count < MaxMergeErrors && !entry.MergeErrors.Contains(message))
        {
            entry.MergeErrors.Add(message);
        }
    }

    public IReadOnlyList<PolicyStatus> Build()
    {
        var result = new List<PolicyStatus>();
        foreach (var entry in _entries.Values.OrderBy(e => e.Policy.Metadata.Key, StringComparer.Ordinal))
        {
            var generation = entry.Policy.Metadata.Generation;
            var ancestors = new List<PolicyAncestorStatus>();
            foreach (var (ancestor, (reason, message)) in entry.Ancestors
                .OrderBy(a => $"{a.Key.Kind}/{a.Key.Namespace}/{a.Key.Name}/{a.Key.SectionName}", StringComparer.Ordinal)
                .Take(MaxAncestors))
            {
                var conditions = new List<Condition>();
                if (reason == Reasons.Accepted && entry.MergeErrors.Count > 0)
                {
                    conditions.Add(Condition.False(Reasons.Accepted, Reasons.Invalid, string.Join("; ", entry.MergeErrors), generation));
                }
                else
                {
                    conditions.Add(reason == Reasons.Accepted
                        ? Condition.True(Reasons.Accepted, Reasons.Accepted, message, generation)
                        : Condition.False(Reasons.Accepted, reason, message, generation));
                }

                if (reason == Reasons.Accepted && entry.OverriddenBy.Count > 0)
                {
                    var parts = entry.OverriddenBy.Select(kv =>
                        $"{kv.Key} on {kv.Value.Count} route(s) [{string.Join(" ", kv.Value.Take(5))}{(kv.Value.Count > 5 ? " ..." : "")}]");
                    conditions.Add(Condition.True(Reasons.Overridden, Reasons.Overridden,
                        "some fields of this policy are replaced by " + string.Join("; ", parts), generation));
                }

                ancestors.Add(new PolicyAncestorStatus(ancestor, ControllerIdentity.ControllerName, conditions));
            }

            result.Add(new PolicyStatus(kind, entry.Policy.Metadata.Namespace, entry.Policy.Metadata.Name, ancestors));
        }

        return result;
    }
}
