using EnvoyExt.ControlPlane.Ir;
using EnvoyExt.ControlPlane.Resources;

namespace EnvoyExt.ControlPlane.GatewayApi;

/// <summary>HTTPRoute rules and matches to IR routes (parent-independent).</summary>
internal sealed class HttpRouteTranslator(RuleTranslator rules)
{
    // A rule whose ExternalAuth filter cannot be configured is not served unchecked (GEP-1494: 500).
    private static readonly IrDirectResponse AuthUnavailable = new(500, null);

    private static readonly HashSet<string> AllowedFilters =
        ["RequestHeaderModifier", "ResponseHeaderModifier", "RequestRedirect", "URLRewrite", "RequestMirror", "ExternalAuth", "CORS"];

    private static readonly HttpRouteMatch DefaultMatch = new() { Path = new HttpPathMatch("PathPrefix", "/") };

    public TranslatedRoute Translate(HttpRoute route)
    {
        var problems = new RouteProblems();
        var entries = new List<RouteEntry>();
        var ns = route.Metadata.Namespace;
        var created = route.Metadata.CreationTimestamp ?? DateTimeOffset.MinValue;
        RuleTranslator.CheckHostnames(route.Hostnames, problems);
        RuleTranslator.CheckRuleNames(route.Rules.Select(r => r.Name).ToList(), problems);
        for (var r = 0; r < route.Rules.Count; r++)
        {
            var rule = route.Rules[r];
            var field = $"spec.rules[{r}]";
            var filters = rules.Filters(route.Kind, ns, rule.Filters, field + ".filters", AllowedFilters, problems, http2: false);
            var timeouts = Timeouts(rule.Timeouts, field + ".timeouts", problems);
            var retry = HttpRouteRetries.Translate(rule.Retry, field + ".retry", problems);
            var matches = rule.Matches.Count == 0 ? [DefaultMatch] : rule.Matches;
            IrRouteAction? action = filters.Redirect;
            for (var m = 0; m < matches.Count; m++)
            {
                var match = Match(matches[m], $"{field}.matches[{m}]", problems);
                if (match is null)
                {
                    continue;
                }

                if (filters.Rewrite?.Path?.Kind == PathModifierKind.PrefixMatch && match.Path?.Kind != PathMatchKind.Prefix
                    || filters.Redirect?.Path?.Kind == PathModifierKind.PrefixMatch && match.Path?.Kind != PathMatchKind.Prefix)
                {
                    problems.Unsupported($"{field}.filters: ReplacePrefixMatch needs a PathPrefix match ({field}.matches[{m}] is not one)");
                    continue;
                }

                action ??= rules.Forward(route.Kind, ns, rule.BackendRefs, field + ".backendRefs", filters.Rewrite, problems, http2: false) switch
                {
                    IrForward forward when timeouts is not null || retry is not null => forward with { Timeouts = timeouts, Retry = retry },
                    var other => other,
                };
                var ir = new IrRoute(
                    $"httproute/{ns}/{route.Metadata.Name}/rule/{r}/match/{m}",
                    match,
                    filters.ExtAuthUnavailable ? AuthUnavailable : action,
                    filters.RequestHeaders,
                    filters.ResponseHeaders,
                    filters.Mirrors,
                    IrFilterFeatures.None.With(IrFeatures.ExtAuth, filters.ExtAuth).With(IrFeatures.Cors, filters.Cors));
                var order = new RouteOrderKey(
                    RouteOrderKey.RankOf(match.Path), match.Path?.Value.Length ?? 1, match.Method is not null,
                    match.Headers.Count, match.QueryParams.Count, created, route.Metadata.Key, r, m);
                entries.Add(new RouteEntry(ir, rule.Name, order));
            }

            // Backends are resolved once per rule even when every match was invalid, so their status is reported.
            if (action is null && filters.Redirect is null)
            {
                rules.Forward(route.Kind, ns, rule.BackendRefs, field + ".backendRefs", filters.Rewrite, problems, http2: false);
            }
        }

        return new TranslatedRoute(route, route.ParentRefs, route.Hostnames, entries, route.Rules.Select(r => r.Name).ToList(),
            problems.AcceptedReason, problems.AcceptedMessage, problems.RefsReason, problems.RefsMessage);
    }

    /// <summary>spec.rules[].timeouts: both durations valid, and one attempt no longer than the whole request.</summary>
    private static IrTimeouts? Timeouts(HttpRouteTimeouts? timeouts, string field, RouteProblems problems)
    {
        if (timeouts is null || (timeouts.Request is null && timeouts.BackendRequest is null))
        {
            return null;
        }

        long? request = Duration(timeouts.Request, field + ".request", problems, out var requestValid);
        long? backend = Duration(timeouts.BackendRequest, field + ".backendRequest", problems, out var backendValid);
        if (!requestValid || !backendValid)
        {
            return null;
        }

        if (request is > 0 && backend is { } b && (b == 0 || b > request))
        {
            problems.Unsupported($"{field}.backendRequest: must not be longer than request ({timeouts.BackendRequest} > {timeouts.Request})");
            return null;
        }

        return new IrTimeouts(request, backend);
    }

    private static long? Duration(string? text, string field, RouteProblems problems, out bool valid)
    {
        valid = true;
        if (text is null)
        {
            return null;
        }

        var ms = GatewayDurations.TryParseMs(text, out var error);
        if (error is not null)
        {
            problems.Unsupported($"{field}: {error}");
            valid = false;
        }

        return ms;
    }

    private static IrRouteMatch? Match(HttpRouteMatch match, string field, RouteProblems problems)
    {
        IrPathMatch? path = null;
        if (match.Path is { } p)
        {
            var error = p.Type switch
            {
                "Exact" or "PathPrefix" => EnvoyStrings.Path(p.Value),
                "RegularExpression" => EnvoyStrings.Re2Regex(p.Value),
                _ => $"{p.Type} is not supported",
            };
            if (error is not null)
            {
                problems.Unsupported(p.Type switch
                {
                    "Exact" or "PathPrefix" => $"{field}.path.value: {error}",
                    "RegularExpression" => $"{field}.path.value: \"{p.Value}\" is not valid for type {p.Type}",
                    _ => $"{field}.path.type: {error}",
                });
                return null;
            }

            path = new IrPathMatch(p.Type switch { "Exact" => PathMatchKind.Exact, "PathPrefix" => PathMatchKind.Prefix, _ => PathMatchKind.Regex }, p.Value);
        }

        var before = problems.AcceptedMessage;
        var headers = RuleTranslator.HeaderMatches(match.Headers, field + ".headers", problems);
        var queries = new List<IrQueryMatch>();
        for (var i = 0; i < match.QueryParams.Count; i++)
        {
            var q = match.QueryParams[i];
            var kind = RuleTranslator.StringKind(q.Type);
            var error = kind is null ? $"type {q.Type} is not supported"
                : EnvoyStrings.HeaderName(q.Name) is { } nameError ? $"name: {nameError}"
                : kind == StringMatchKind.Regex ? EnvoyStrings.Re2Regex(q.Value) is { } regexError ? $"value: {regexError}" : null
                : EnvoyStrings.HeaderValue(q.Value, 1024) is { } valueError ? $"value: {valueError}" : null;
            if (error is not null)
            {
                problems.Unsupported($"{field}.queryParams[{i}]: {error}");
                continue;
            }

            if (queries.All(existing => existing.Name != q.Name))
            {
                queries.Add(new IrQueryMatch(q.Name, kind.GetValueOrDefault(), q.Value));
            }
        }

        if (problems.AcceptedMessage != before)
        {
            return null;
        }

        return new IrRouteMatch(path ?? new IrPathMatch(PathMatchKind.Prefix, "/"), headers, queries, match.Method?.ToUpperInvariant(), null);
    }
}
