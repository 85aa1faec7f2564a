using EnvoyExt.ControlPlane.Ir;
using EnvoyExt.ControlPlane.Resources;

namespace EnvoyExt.ControlPlane.GatewayApi;

/// <summary>
/// Validates an HTTPRoute CORS filter (GEP-1767) into the IR policy. Every value ends up in a
/// response header or an origin matcher, so each is checked here and a bad one names its field.
/// </summary>
internal static class CorsTranslator
{
    private const string Wildcard = "*";

    public static IrCorsPolicy? Translate(CorsFilter cors, string field, RouteProblems problems)
    {
        var valid = true;
        valid &= CheckList(cors.AllowOrigins, field + ".allowOrigins", OriginError, problems);
        valid &= CheckList(cors.AllowMethods, field + ".allowMethods", MethodError, problems);
        valid &= CheckList(cors.AllowHeaders, field + ".allowHeaders", HeaderError, problems);
        valid &= CheckList(cors.ExposeHeaders, field + ".exposeHeaders", HeaderError, problems);
        if (cors.MaxAge < 1)
        {
            problems.Unsupported($"{field}.maxAge: must be at least 1 second (got {cors.MaxAge})");
            valid = false;
        }

        return valid
            ? new IrCorsPolicy(cors.AllowOrigins, cors.AllowCredentials, cors.AllowMethods, cors.AllowHeaders, cors.ExposeHeaders, cors.MaxAge)
            : null;
    }

    /// <summary>The list's items are valid and distinct, and "*" stands alone (the CRD's rules).</summary>
    private static bool CheckList(IReadOnlyList<string> items, string field, Func<string, string?> check, RouteProblems problems)
    {
        var valid = true;
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < items.Count; i++)
        {
            var error = items[i] == Wildcard
                ? items.Count > 1 ? "\"*\" cannot be listed alongside other values" : null
                : check(items[i]);
            if (error is null && !seen.Add(items[i]))
            {
                error = $"\"{items[i]}\" is listed twice";
            }

            if (error is not null)
            {
                problems.Unsupported($"{field}[{i}]: {error}");
                valid = false;
            }
        }

        return valid;
    }

    /// <summary><c>http(s)://host[:port]</c>; the host may hold <c>*</c>, which matches any run of DNS labels.</summary>
    internal static string? OriginError(string origin)
    {
        var separator = origin.IndexOf("://", StringComparison.Ordinal);
        var scheme = separator < 0 ? "" : origin[..separator];
        if (scheme is not ("http" or "https"))
        {
            return $"\"{origin}\" is not an origin of the form http(s)://host[:port]";
        }

        var authority = origin[(separator + 3)..];
        var colon = authority.LastIndexOf(':');
        var host = colon < 0 ? authority : authority[..colon];
        if (colon >= 0 && (!int.TryParse(authority[(colon + 1)..], System.Globalization.NumberStyles.None, null, out var port) || port is < 1 or > 65535))
        {
            return $"\"{origin}\": the port must be between 1 and 65535";
        }

        if (host.Length == 0 || !host.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '*'))
        {
            return $"\"{origin}\": the host must be a DNS name, possibly with * wildcards";
        }

        return null;
    }

    private static string? MethodError(string method) =>
        method.Length > 0 && method.All(c => char.IsAsciiLetterUpper(c))
            ? null
            : $"\"{method}\" is not an HTTP method (upper-case letters, as RFC 9110 names them)";

    private static string? HeaderError(string name) => EnvoyStrings.HeaderName(name);
}
