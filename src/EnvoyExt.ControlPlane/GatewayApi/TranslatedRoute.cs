using EnvoyExt.ControlPlane.Ir;
using EnvoyExt.ControlPlane.Resources;

namespace EnvoyExt.ControlPlane.GatewayApi;

/// <summary>
/// Gateway API match precedence as a sort key. Across routes: Exact path, then RegularExpression
/// (implementation-specific; we put it before prefixes so "/" prefixes don't shadow it), then the
/// longest PathPrefix; then a method match; then more header matches; then more query matches;
/// then the oldest route; then namespace/name; then rule and match order.
/// </summary>
internal sealed record RouteOrderKey(
    int PathRank,
    int PathLength,
    bool HasMethod,
    int HeaderCount,
    int QueryCount,
    DateTimeOffset Created,
    string RouteKey,
    int Rule,
    int Match) : IComparable<RouteOrderKey>
{
    public int CompareTo(RouteOrderKey? other)
    {
        if (other is null)
        {
            return -1;
        }

        int c;
        if ((c = PathRank.CompareTo(other.PathRank)) != 0
            || (c = other.PathLength.CompareTo(PathLength)) != 0
            || (c = other.HasMethod.CompareTo(HasMethod)) != 0
            || (c = other.HeaderCount.CompareTo(HeaderCount)) != 0
            || (c = other.QueryCount.CompareTo(QueryCount)) != 0
            || (c = Created.CompareTo(other.Created)) != 0
            || (c = string.CompareOrdinal(RouteKey, other.RouteKey)) != 0
            || (c = Rule.CompareTo(other.Rule)) != 0)
        {
            return c;
        }

        return Match.CompareTo(other.Match);
    }

    public static int RankOf(IrPathMatch? path) => path?.Kind switch
    {
        PathMatchKind.Exact => 0,
        PathMatchKind.Regex => 1,
        _ => 2,
    };
}

/// <summary>One IR route (one match of one rule), not yet placed on a virtual host.</summary>
internal sealed record RouteEntry(IrRoute Route, string? RuleName, RouteOrderKey Order);

/// <summary>
/// A route after the parent-independent checks: its IR routes, whether the spec itself is
/// acceptable (UnsupportedValue / IncompatibleFilters) and whether its backendRefs resolved.
/// </summary>
internal sealed record TranslatedRoute(
    KubernetesResource Resource,
    IReadOnlyList<ParentReference> ParentRefs,
    IReadOnlyList<string> Hostnames,
    IReadOnlyList<RouteEntry> Entries,
    IReadOnlyList<string?> RuleNames,
    string? AcceptedFailureReason,
    string? AcceptedFailureMessage,
    string? RefsFailureReason,
    string? RefsFailureMessage);
