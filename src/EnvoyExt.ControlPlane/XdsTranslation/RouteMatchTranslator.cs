using Envoy.Config.Route.V3;
using Envoy.Type.Matcher.V3;
using EnvoyExt.ControlPlane.Ir;

namespace EnvoyExt.ControlPlane.XdsTranslation;

/// <summary>IR match -> Envoy RouteMatch with Gateway API semantics.</summary>
internal static class RouteMatchTranslator
{
    public static RouteMatch Translate(IrRouteMatch match)
    {
        var result = new RouteMatch();
        SetPath(result, match.Path);
        foreach (var header in match.Headers)
        {
            result.Headers.Add(new HeaderMatcher { Name = header.Name, StringMatch = StringMatch(header.Kind, header.Value) });
        }
        if (match.Method is not null)
        {
            // Envoy routes on the method through the ":method" pseudo-header.
            result.Headers.Add(new HeaderMatcher { Name = ":method", StringMatch = new StringMatcher { Exact = match.Method } });
        }
        foreach (var query in match.QueryParams)
        {
            result.QueryParameters.Add(new QueryParameterMatcher { Name = query.Name, StringMatch = StringMatch(query.Kind, query.Value) });
        }
        return result;
    }

    private static void SetPath(RouteMatch result, IrPathMatch? path)
    {
        switch (path)
        {
            case null:
                result.Prefix = "/";
                break;
            case { Kind: PathMatchKind.Exact }:
                result.Path = path.Value;
                break;
            case { Kind: PathMatchKind.Regex }:
                result.SafeRegex = new RegexMatcher { Regex = path.Value };
                break;
            default:
                // Gateway API PathPrefix matches whole segments ("/api" matches "/api/x", not "/apix"),
                // which is path_separated_prefix; that field rejects a trailing "/", so "/api/" is the
                // same match as "/api", and "/" is every path.
                var trimmed = path.Value.TrimEnd('/');
                if (trimmed.Length == 0)
                {
                    result.Prefix = "/";
                }
                else
                {
                    result.PathSeparatedPrefix = trimmed;
                }
                break;
        }
    }

    private static StringMatcher StringMatch(StringMatchKind kind, string value) => kind == StringMatchKind.Regex
        ? new StringMatcher { SafeRegex = new RegexMatcher { Regex = value } }
        : new StringMatcher { Exact = value };
}
