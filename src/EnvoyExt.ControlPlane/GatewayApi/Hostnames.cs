namespace EnvoyExt.ControlPlane.GatewayApi;

/// <summary>
/// Gateway API hostname rules: "*.example.com" matches any name with at least one more label
/// ("a.example.com", "a.b.example.com") and never "example.com"; null or "*" matches everything.
/// </summary>
internal static class Hostnames
{
    public const string Any = "*";

    public static bool IsWildcard(string host) => host.StartsWith("*.", StringComparison.Ordinal);

    /// <summary>Whether pattern (a listener or route hostname) covers host (exact or wildcard).</summary>
    public static bool Covers(string? pattern, string host)
    {
        if (pattern is null or Any || pattern == host)
        {
            return true;
        }

        if (!IsWildcard(pattern))
        {
            return false;
        }

        // "*.example.com" covers "a.example.com" and "*.a.example.com" but not "example.com".
        var suffix = pattern[1..]; // ".example.com"
        var hostBody = IsWildcard(host) ? host[1..] : host;
        return hostBody.Length > suffix.Length && hostBody.EndsWith(suffix, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// The hostnames a route serves through a listener: the intersection of the route's hostnames with
    /// the listener's hostname, each result being the more specific of the two. Empty = no intersection.
    /// </summary>
    public static IReadOnlyList<string> Intersect(string? listenerHost, IReadOnlyList<string> routeHosts)
    {
        if (routeHosts.Count == 0)
        {
            return [listenerHost ?? Any];
        }

        if (listenerHost is null)
        {
            return routeHosts.Select(h => h.ToLowerInvariant()).Distinct().ToList();
        }

        var result = new List<string>();
        foreach (var raw in routeHosts)
        {
            var routeHost = raw.ToLowerInvariant();
            if (Covers(listenerHost, routeHost))
            {
                result.Add(routeHost); // route is equal or more specific
            }
            else if (Covers(routeHost, listenerHost))
            {
                result.Add(listenerHost); // listener is more specific
            }
        }

        return result.Distinct().ToList();
    }

    /// <summary>
    /// Higher is more specific: exact names beat wildcards, longer beats shorter, "*" is least.
    /// Used to pick the listener that owns a hostname and to order routes across hostnames.
    /// </summary>
    public static int Specificity(string? host) => host switch
    {
        null or Any => 0,
        _ when IsWildcard(host) => 1 + host.Length,
        _ => 1_000 + host.Length,
    };

    /// <summary>Valid RFC 1123 name with an optional leading "*." label; IP addresses are not hostnames.</summary>
    public static bool IsValid(string host)
    {
        if (host.Length is 0 or > 253 || System.Net.IPAddress.TryParse(host, out _))
        {
            return false;
        }

        var body = IsWildcard(host) ? host[2..] : host;
        foreach (var label in body.Split('.'))
        {
            if (label.Length is 0 or > 63 || label[0] == '-' || label[^1] == '-'
                || !label.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '-'))
            {
                return false;
            }
        }

        return true;
    }
}
