using EnvoyExt.ControlPlane.GatewayApi.Status;
using EnvoyExt.ControlPlane.Ir;
using EnvoyExt.ControlPlane.Resources;

namespace EnvoyExt.ControlPlane.GatewayApi;

/// <summary>
/// The parts of rule translation HTTPRoute and GRPCRoute share: filters, backends, regexes.
/// </summary>
internal sealed class RuleTranslator(BackendResolver backends)
{
    private static readonly HashSet<int> RedirectCodes = [301, 302, 303, 307, 308];

    /// <summary>What a rule's filters amount to.</summary>
    public sealed record FilterResult(
        List<IrHeaderMutation> RequestHeaders,
        List<IrHeaderMutation> ResponseHeaders,
        List<IrMirror> Mirrors,
        IrRedirect? Redirect,
        IrUrlRewrite? Rewrite,
        IrExtAuth? ExtAuth = null,
        bool ExtAuthUnavailable = false,
        IrCorsPolicy? Cors = null);

    public FilterResult Filters(
        string routeKind, string routeNamespace, IReadOnlyList<HttpRouteFilter> filters, string field,
        ISet<string> allowedTypes, RouteProblems problems, bool http2)
    {
        var result = new FilterResult([], [], [], null, null);
        IrRedirect? redirect = null;
        IrUrlRewrite? rewrite = null;
        IrExtAuth? extAuth = null;
        IrCorsPolicy? cors = null;
        var extAuthUnavailable = false;
        for (var i = 0; i < filters.Count; i++)
        {
            var filter = filters[i];
            var at = $"{field}[{i}]";
            if (!allowedTypes.Contains(filter.Type))
            {
                problems.Unsupported($"{at}.type: filter {filter.Type} is not supported on {routeKind}");
                continue;
            }

            switch (filter.Type)
            {
                case "RequestHeaderModifier" when filter.RequestHeaderModifier is { } m:
                    AddMutations(result.RequestHeaders, m, at + ".requestHeaderModifier", EnvoyStrings.ModifiableRequestHeader, problems);
                    break;
                case "ResponseHeaderModifier" when filter.ResponseHeaderModifier is { } m:
                    AddMutations(result.ResponseHeaders, m, at + ".responseHeaderModifier", EnvoyStrings.HeaderName, problems);
                    break;
                case "RequestRedirect" when filter.RequestRedirect is { } r:
                    redirect = Redirect(r, at + ".requestRedirect", problems);
                    break;
                case "URLRewrite" when filter.UrlRewrite is { } u:
                    if (CheckHostAndPath(u.Hostname, u.Path, at + ".urlRewrite", problems))
                    {
                        rewrite = new IrUrlRewrite(u.Hostname, PathModifier(u.Path));
                    }

                    break;
                case "RequestMirror" when filter.RequestMirror is { } mirror:
                    AddMirror(result.Mirrors, routeKind, routeNamespace, mirror, at + ".requestMirror", problems, http2);
                    break;
                case "ExternalAuth" when filter.ExternalAuth is { } auth:
                    if (extAuth is not null)
                    {
                        problems.Unsupported($"{at}: only one ExternalAuth filter per rule");
                        break;
                    }

                    extAuth = ExternalAuthTranslator.Translate(backends, routeKind, routeNamespace, auth, at + ".externalAuth", problems);
                    extAuthUnavailable = extAuth is null;
                    break;
                case "CORS" when filter.Cors is { } c:
                    if (cors is not null)
                    {
                        problems.Unsupported($"{at}: only one CORS filter per rule");
                        break;
                    }

                    cors = CorsTranslator.Translate(c, at + ".cors", problems);
                    break;
                default:
                    problems.Unsupported($"{at}: filter type {filter.Type} needs its {char.ToLowerInvariant(filter.Type[0])}{filter.Type[1..]} block");
                    break;
            }
        }

        if (redirect is not null && rewrite is not null)
        {
            problems.NotAccepted(Reasons.IncompatibleFilters, $"{field}: RequestRedirect and URLRewrite cannot be used in the same rule");
        }

        return result with { Redirect = redirect, Rewrite = rewrite, ExtAuth = extAuth, ExtAuthUnavailable = extAuthUnavailable, Cors = cors };
    }

    private static void AddMutations(
        List<IrHeaderMutation> into, HeaderModifier modifier, string field, Func<string, string?> checkName, RouteProblems problems)
    {
        var valid = true;
        foreach (var (list, values) in new[] { ("set", modifier.Set), ("add", modifier.Add) })
        {
            foreach (var (name, value) in values)
            {
                if ((checkName(name) ?? EnvoyStrings.HeaderValue(value)) is { } error)
                {
                    problems.Unsupported($"{field}.{list}[{name}]: {error}");
                    valid = false;
                }
            }
        }

        for (var i = 0; i < modifier.Remove.Count; i++)
        {
            if (checkName(modifier.Remove[i]) is { } error)
            {
                problems.Unsupported($"{field}.remove[{i}]: {error}");
                valid = false;
            }
        }

        if (!valid)
        {
            return;
        }

        into.AddRange(modifier.Set.Select(kv => new IrHeaderMutation(HeaderMutationKind.Set, kv.Key.ToLowerInvariant(), kv.Value)));
        into.AddRange(modifier.Add.Select(kv => new IrHeaderMutation(HeaderMutationKind.Add, kv.Key.ToLowerInvariant(), kv.Value)));
        into.AddRange(modifier.Remove.Select(name => new IrHeaderMutation(HeaderMutationKind.Remove, name.ToLowerInvariant(), null)));
    }

    private static IrRedirect? Redirect(RequestRedirect r, string field, RouteProblems problems)
    {
        if (!RedirectCodes.Contains(r.StatusCode))
        {
            problems.Unsupported($"{field}.statusCode: must be 301, 302, 303, 307 or 308 (got {r.StatusCode})");
            return null;
        }

        if (r.Scheme is not (null or "http" or "https"))
        {
            problems.Unsupported($"{field}.scheme: must be http or https (got {r.Scheme})");
            return null;
        }

        return CheckHostAndPath(r.Hostname, r.Path, field, problems)
            ? new IrRedirect(r.Scheme, r.Hostname, PathModifier(r.Path), r.Port, r.StatusCode)
            : null;
    }

    /// <summary>Redirect and rewrite targets become Envoy host and path rewrites, which refuse CR, LF and NUL.</summary>
    private static bool CheckHostAndPath(string? hostname, HttpPathModifier? path, string field, RouteProblems problems)
    {
        var valid = true;
        if (hostname is not null && EnvoyStrings.PreciseHostname(hostname) is { } hostError)
        {
            problems.Unsupported($"{field}.hostname: {hostError}");
            valid = false;
        }

        if (path is not null && EnvoyStrings.Path(path.Value) is { } pathError)
        {
            var name = path.Type == "ReplaceFullPath" ? "replaceFullPath" : "replacePrefixMatch";
            problems.Unsupported($"{field}.path.{name}: {pathError}");
            valid = false;
        }

        return valid;
    }

    private static IrPathModifier? PathModifier(HttpPathModifier? path) => path is null
        ? null
        : new IrPathModifier(path.Type == "ReplaceFullPath" ? PathModifierKind.FullPath : PathModifierKind.PrefixMatch, path.Value);

    private void AddMirror(List<IrMirror> into, string routeKind, string routeNamespace, RequestMirror mirror, string field, RouteProblems problems, bool http2)
    {
        var resolved = backends.Resolve(routeKind, routeNamespace, mirror.BackendRef, field + ".backendRef", http2);
        if (resolved.ClusterName is null)
        {
            problems.Unresolved(resolved.FailureReason!, resolved.Message!);
            return;
        }

        var (numerator, denominator) = mirror.Fraction ?? (mirror.Percent ?? 100, 100);
        if (denominator <= 0 || numerator < 0 || numerator > denominator)
        {
            problems.Unsupported($"{field}: the mirrored fraction must be between 0 and 1 (got {numerator}/{denominator})");
            return;
        }

        into.Add(new IrMirror(resolved.ClusterName, numerator, denominator));
    }

    /// <summary>
    /// Valid backends with a positive weight. Invalid ones are reported (ResolvedRefs=False) and left
    /// out; when none remains the rule answers 500 as the spec requires.
    /// </summary>
    public IrRouteAction Forward(
        string routeKind, string routeNamespace, IReadOnlyList<BackendReference> refs, string field,
        IrUrlRewrite? rewrite, RouteProblems problems, bool http2)
    {
        var clusters = new List<IrWeightedCluster>();
        for (var i = 0; i < refs.Count; i++)
        {
            var reference = refs[i];
            var at = $"{field}[{i}]";
            var resolved = backends.Resolve(routeKind, routeNamespace, reference, at, http2);
            if (resolved.ClusterName is null)
            {
                problems.Unresolved(resolved.FailureReason!, resolved.Message!);
                continue;
            }

            if (reference.Weight > 0)
            {
                var (request, response) = BackendFilters(reference.Filters, at + ".filters", problems);
                clusters.Add(new IrWeightedCluster(resolved.ClusterName, reference.Weight, request, response));
            }
        }

        return clusters.Count == 0 ? new IrDirectResponse(500, null) : new IrForward(clusters, rewrite);
    }

    /// <summary>
    /// backendRefs[].filters: the header modifiers apply to the requests sent to that backend and to its
    /// responses. Other filter types are refused rather than applied to the whole rule.
    /// </summary>
    private static (List<IrHeaderMutation>? Request, List<IrHeaderMutation>? Response) BackendFilters(
        IReadOnlyList<HttpRouteFilter> filters, string field, RouteProblems problems)
    {
        List<IrHeaderMutation>? request = null;
        List<IrHeaderMutation>? response = null;
        for (var i = 0; i < filters.Count; i++)
        {
            var filter = filters[i];
            var at = $"{field}[{i}]";
            switch (filter.Type)
            {
                case "RequestHeaderModifier" when filter.RequestHeaderModifier is { } m:
                    AddMutations(request ??= [], m, at + ".requestHeaderModifier", EnvoyStrings.ModifiableRequestHeader, problems);
                    break;
                case "ResponseHeaderModifier" when filter.ResponseHeaderModifier is { } m:
                    AddMutations(response ??= [], m, at + ".responseHeaderModifier", EnvoyStrings.HeaderName, problems);
                    break;
                case "RequestHeaderModifier" or "ResponseHeaderModifier":
                    problems.Unsupported($"{at}: filter type {filter.Type} needs its {char.ToLowerInvariant(filter.Type[0])}{filter.Type[1..]} block");
                    break;
                default:
                    problems.Unsupported($"{at}.type: filter {filter.Type} is not supported on a backendRef (only RequestHeaderModifier and ResponseHeaderModifier are)");
                    break;
            }
        }

        return (request is { Count: > 0 } ? request : null, response is { Count: > 0 } ? response : null);
    }

    /// <summary>
    /// Named rules (GEP-995): a name is a section name (lower-case letters, digits and '-', starting
    /// and ending with a letter or digit) and unique in its route, as the CRD's rules say; policies
    /// and status address a rule by it.
    /// </summary>
    public static void CheckRuleNames(IReadOnlyList<string?> names, RouteProblems problems)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < names.Count; i++)
        {
            if (names[i] is not { } name)
            {
                continue;
            }

            if (name.Length is 0 or > 253 || !name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-') || name[0] == '-' || name[^1] == '-')
            {
                problems.Unsupported($"spec.rules[{i}].name: \"{name}\" is not a valid rule name (lower-case letters, digits and '-', starting and ending with a letter or digit)");
            }
            else if (!seen.Add(name))
            {
                problems.Unsupported($"spec.rules[{i}].name: \"{name}\" names an earlier rule too; rule names must be unique in a route");
            }
        }
    }

    /// <summary>Route hostnames must be DNS names (a leading "*." allowed), not IP addresses.</summary>
    public static void CheckHostnames(IReadOnlyList<string> hostnames, RouteProblems problems)
    {
        for (var i = 0; i < hostnames.Count; i++)
        {
            if (!Hostnames.IsValid(hostnames[i]))
            {
                problems.Unsupported($"spec.hostnames[{i}]: \"{hostnames[i]}\" is not a valid DNS name (IP addresses are not allowed)");
            }
        }
    }

    public static bool IsValidRegex(string pattern) => EnvoyStrings.Re2Regex(pattern) is null;

    public static StringMatchKind? StringKind(string type) => type switch
    {
        "Exact" => StringMatchKind.Exact,
        "RegularExpression" => StringMatchKind.Regex,
        _ => null,
    };

    public static List<IrHeaderMatch> HeaderMatches(IReadOnlyList<NameValueMatch> headers, string field, RouteProblems problems)
    {
        var result = new List<IrHeaderMatch>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < headers.Count; i++)
        {
            var h = headers[i];
            var kind = StringKind(h.Type);
            if (kind is null)
            {
                problems.Unsupported($"{field}[{i}]: type {h.Type} is not supported");
                continue;
            }

            if (EnvoyStrings.HeaderName(h.Name) is { } nameError)
            {
                problems.Unsupported($"{field}[{i}].name: {nameError}");
                continue;
            }

            if ((kind == StringMatchKind.Regex ? EnvoyStrings.Re2Regex(h.Value) : EnvoyStrings.HeaderValue(h.Value)) is { } valueError)
            {
                problems.Unsupported($"{field}[{i}].value: {valueError}");
                continue;
            }

            // The spec: when a name repeats, the first match wins and the rest are ignored.
            if (seen.Add(h.Name))
            {
                result.Add(new IrHeaderMatch(h.Name.ToLowerInvariant(), kind.Value, h.Value));
            }
        }

        return result;
    }
}
