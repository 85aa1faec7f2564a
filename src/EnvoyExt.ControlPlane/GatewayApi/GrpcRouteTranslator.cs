using System.Text.RegularExpressions;
using EnvoyExt.ControlPlane.Ir;
using EnvoyExt.ControlPlane.Resources;
using EnvoyExt.ControlPlane.XdsTranslation;

namespace EnvoyExt.ControlPlane.GatewayApi;

/// <summary>
/// GRPCRoute rules to IR routes. A gRPC call is a POST to "/&lt;service&gt;/&lt;method&gt;", so the
/// method match becomes a path match (kept in IrRouteMatch.Grpc for reference). Backends are HTTP/2.
/// </summary>
internal sealed partial class GrpcRouteTranslator(RuleTranslator rules)
{
    private static readonly HashSet<string> AllowedFilters = ["RequestHeaderModifier", "ResponseHeaderModifier", "RequestMirror"];

    public TranslatedRoute Translate(GrpcRoute route)
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
            var filters = rules.Filters(route.Kind, ns, rule.Filters, field + ".filters", AllowedFilters, problems, http2: true);
            var action = rules.Forward(route.Kind, ns, rule.BackendRefs, field + ".backendRefs", null, problems, http2: true);
            var matches = rule.Matches.Count == 0 ? [new GrpcRouteMatch()] : rule.Matches;
            for (var m = 0; m < matches.Count; m++)
            {
                var at = $"{field}.matches[{m}]";
                var before = problems.AcceptedMessage;
                var (path, grpc) = MethodMatch(matches[m].Method, at + ".method", problems);
                var headers = RuleTranslator.HeaderMatches(matches[m].Headers, at + ".headers", problems);
                if (problems.AcceptedMessage != before)
                {
                    continue;
                }

                var match = new IrRouteMatch(path, headers, [], null, grpc);
                var ir = new IrRoute($"grpcroute/{ns}/{route.Metadata.Name}/rule/{r}/match/{m}", match, action,
                    filters.RequestHeaders, filters.ResponseHeaders, filters.Mirrors, IrFilterFeatures.None);
                // GRPCRoute precedence: more characters in the matched service, then in the method,
                // then more header matches; the path encoding (exact/regex/prefix) does not matter.
                var serviceChars = grpc?.Service?.Length ?? 0;
                var methodChars = grpc?.Method?.Length ?? 0;
                var order = new RouteOrderKey(0, (serviceChars * 4096) + methodChars, false, headers.Count, 0,
                    created, route.Metadata.Key, r, m);
                entries.Add(new RouteEntry(ir, rule.Name, order));
            }
        }

        return new TranslatedRoute(route, route.ParentRefs, route.Hostnames, entries, route.Rules.Select(r => r.Name).ToList(),
            problems.AcceptedReason, problems.AcceptedMessage, problems.RefsReason, problems.RefsMessage);
    }

    private static (IrPathMatch Path, IrGrpcMatch? Grpc) MethodMatch(GrpcMethodMatch? method, string field, RouteProblems problems)
    {
        if (method is null || method.Service is null && method.Method is null)
        {
            return (new IrPathMatch(PathMatchKind.Prefix, "/"), null);
        }

        if (method.Type == "Exact")
        {
            if (method.Service is { } service && !GrpcService().IsMatch(service))
            {
                problems.Unsupported($"{field}.service: \"{service}\" is not a gRPC service name (dot-separated identifiers, at most 1024 characters)");
                return (new IrPathMatch(PathMatchKind.Prefix, "/"), null);
            }

            if (method.Method is { } name && !GrpcMethod().IsMatch(name))
            {
                problems.Unsupported($"{field}.method: \"{name}\" is not a gRPC method name (an identifier, at most 1024 characters)");
                return (new IrPathMatch(PathMatchKind.Prefix, "/"), null);
            }

            var grpc = new IrGrpcMatch(StringMatchKind.Exact, method.Service, method.Method);
            return (method.Service, method.Method) switch
            {
                ({ } s, { } m) => (new IrPathMatch(PathMatchKind.Exact, $"/{s}/{m}"), grpc),
                ({ } s, null) => (new IrPathMatch(PathMatchKind.Prefix, $"/{s}"), grpc),
                _ => (new IrPathMatch(PathMatchKind.Regex, $"/[^/]+/{Re2.Escape(method.Method!)}"), grpc),
            };
        }

        if (method.Type == "RegularExpression")
        {
            var error = method.Service is { } s && EnvoyStrings.Re2Regex(s) is { } serviceError ? $"{field}.service: {serviceError}"
                : method.Method is { } m && EnvoyStrings.Re2Regex(m) is { } methodError ? $"{field}.method: {methodError}"
                : null;
            if (error is not null)
            {
                problems.Unsupported(error);
                return (new IrPathMatch(PathMatchKind.Prefix, "/"), null);
            }

            var grpc = new IrGrpcMatch(StringMatchKind.Regex, method.Service, method.Method);
            return (new IrPathMatch(PathMatchKind.Regex, $"/(?:{method.Service ?? "[^/]+"})/(?:{method.Method ?? "[^/]+"})"), grpc);
        }

        problems.Unsupported($"{field}.type: {method.Type} is not supported");
        return (new IrPathMatch(PathMatchKind.Prefix, "/"), null);
    }

    // The Gateway API CRD patterns for GRPCMethodMatch (exact type).
    [GeneratedRegex(@"\A(?i)\.?[a-z_][a-z_0-9]*(?:\.[a-z_][a-z_0-9]*)*\z")]
    private static partial Regex GrpcService();

    [GeneratedRegex(@"\A[A-Za-z_][A-Za-z_0-9]*\z")]
    private static partial Regex GrpcMethod();
}
