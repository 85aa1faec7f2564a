using Envoy.Config.Core.V3;
using Envoy.Config.Route.V3;
using Envoy.Type.Matcher.V3;
using Envoy.Type.V3;
using EnvoyExt.ControlPlane.Ir;

namespace EnvoyExt.ControlPlane.XdsTranslation;

/// <summary>IR action -> route / redirect / direct_response on an Envoy Route.</summary>
internal static class RouteActionTranslator
{
    public static void Apply(Route route, IrRoute ir)
    {
        switch (ir.Action)
        {
            case IrForward forward:
                route.Route_ = Forward(forward, ir.Match.Path, ir.Mirrors);
                RouteRetryTranslator.Apply(route.Route_, forward, ir.Filters.Get(IrFeatures.Traffic));
                break;
            case IrRedirect redirect:
                route.Redirect = Redirect(redirect, ir.Match.Path);
                break;
            case IrDirectResponse direct:
                route.DirectResponse = new DirectResponseAction { Status = (uint)direct.Status };
                if (direct.Body is not null)
                {
                    route.DirectResponse.Body = new DataSource { InlineString = direct.Body };
                }
                break;
            default:
                throw new ArgumentException($"route {ir.Name}: action: unsupported kind {ir.Action.GetType().Name}", nameof(ir));
        }
    }

    private static RouteAction Forward(IrForward forward, IrPathMatch? path, IReadOnlyList<IrMirror> mirrors)
    {
        var action = new RouteAction();
        // A single backend with header changes of its own still needs weighted_clusters: only a
        // cluster weight carries headers that apply when that backend is picked.
        if (forward.Backends.Count == 1 && !forward.Backends[0].HasHeaderMutations)
        {
            action.Cluster = forward.Backends[0].ClusterName;
        }
        else
        {
            var weighted = new WeightedCluster();
            foreach (var backend in forward.Backends)
            {
                var weight = new WeightedCluster.Types.ClusterWeight { Name = backend.ClusterName, Weight = (uint)backend.Weight };
                RouteTranslator.AddHeaderMutations(backend.RequestHeaderMutations ?? [], weight.RequestHeadersToAdd, weight.RequestHeadersToRemove);
                RouteTranslator.AddHeaderMutations(backend.ResponseHeaderMutations ?? [], weight.ResponseHeadersToAdd, weight.ResponseHeadersToRemove);
                weighted.Clusters.Add(weight);
            }
            action.WeightedClusters = weighted;
        }

        if (forward.Rewrite?.Hostname is { } host)
        {
            action.HostRewriteLiteral = host;
        }
        switch (forward.Rewrite?.Path)
        {
            case { Kind: PathModifierKind.FullPath } full:
                // Replace the whole path, keep the query string (regex_rewrite only sees the path).
                action.RegexRewrite = new RegexMatchAndSubstitute { Pattern = new RegexMatcher { Regex = "^/.*$" }, Substitution = full.Value };
                break;
            case { Kind: PathModifierKind.PrefixMatch } prefix:
                SetPrefixRewrite(action, path, prefix.Value);
                break;
        }

        foreach (var mirror in mirrors)
        {
            var policy = new RouteAction.Types.RequestMirrorPolicy { Cluster = mirror.ClusterName };
            if (Fraction(mirror) is { } fraction)
            {
                policy.RuntimeFraction = new RuntimeFractionalPercent { DefaultValue = fraction };
            }
            action.RequestMirrorPolicies.Add(policy);
        }
        return action;
    }

    /// <summary>
    /// ReplacePrefixMatch. Envoy's prefix_rewrite substitutes characters, so replacing "/api" with
    /// "/" would turn "/api/x" into "//x"; Gateway API wants "/x". A "/" replacement is therefore
    /// a regex that also eats the slashes after the prefix.
    /// </summary>
    private static void SetPrefixRewrite(RouteAction action, IrPathMatch? path, string replacement)
    {
        var matched = path is { Kind: PathMatchKind.Prefix } ? path.Value.TrimEnd('/') : "";
        if (replacement == "/" && matched.Length > 0)
        {
            action.RegexRewrite = new RegexMatchAndSubstitute
            {
                Pattern = new RegexMatcher { Regex = "^" + Re2.Escape(matched) + "/*" },
                Substitution = "/",
            };
        }
        else
        {
            action.PrefixRewrite = replacement;
        }
    }

    private static RedirectAction Redirect(IrRedirect redirect, IrPathMatch? path)
    {
        var action = new RedirectAction { ResponseCode = ResponseCode(redirect.StatusCode) };
        if (redirect.Scheme is not null)
        {
            action.SchemeRedirect = redirect.Scheme;
        }
        if (redirect.Hostname is not null)
        {
            action.HostRedirect = redirect.Hostname;
        }
        if (redirect.Port is { } port)
        {
            action.PortRedirect = (uint)port;
        }
        switch (redirect.Path)
        {
            case { Kind: PathModifierKind.FullPath } full:
                action.PathRedirect = full.Value;
                break;
            case { Kind: PathModifierKind.PrefixMatch } prefix:
                var matched = path is { Kind: PathMatchKind.Prefix } ? path.Value.TrimEnd('/') : "";
                if (prefix.Value == "/" && matched.Length > 0)
                {
                    action.RegexRewrite = new RegexMatchAndSubstitute
                    {
                        Pattern = new RegexMatcher { Regex = "^" + Re2.Escape(matched) + "/*" },
                        Substitution = "/",
                    };
                }
                else
                {
                    action.PrefixRewrite = prefix.Value;
                }
                break;
        }
        return action;
    }

    private static RedirectAction.Types.RedirectResponseCode ResponseCode(int status) => status switch
    {
        301 => RedirectAction.Types.RedirectResponseCode.MovedPermanently,
        302 => RedirectAction.Types.RedirectResponseCode.Found,
        303 => RedirectAction.Types.RedirectResponseCode.SeeOther,
        307 => RedirectAction.Types.RedirectResponseCode.TemporaryRedirect,
        308 => RedirectAction.Types.RedirectResponseCode.PermanentRedirect,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "redirect statusCode: must be 301, 302, 303, 307 or 308"),
    };

    /// <summary>Null = mirror every request (Envoy's default when runtime_fraction is absent).</summary>
    private static FractionalPercent? Fraction(IrMirror mirror)
    {
        if (mirror.Denominator <= 0 || mirror.Numerator >= mirror.Denominator)
        {
            return null;
        }
        return mirror.Denominator switch
        {
            100 => new FractionalPercent { Numerator = (uint)mirror.Numerator, Denominator = FractionalPercent.Types.DenominatorType.Hundred },
            10_000 => new FractionalPercent { Numerator = (uint)mirror.Numerator, Denominator = FractionalPercent.Types.DenominatorType.TenThousand },
            _ => new FractionalPercent
            {
                // Envoy has only 100 / 10k / 1M denominators; 1M keeps any other fraction within 1e-6.
                Numerator = (uint)Math.Round(mirror.Numerator * 1_000_000.0 / mirror.Denominator),
                Denominator = FractionalPercent.Types.DenominatorType.Million,
            },
        };
    }
}
