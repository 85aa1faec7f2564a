using System.Text;
using Envoy.Extensions.Filters.Http.Cors.V3;
using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;
using Envoy.Type.Matcher.V3;
using EnvoyExt.ControlPlane.Ir;
using Google.Protobuf.WellKnownTypes;

namespace EnvoyExt.ControlPlane.XdsTranslation.HttpFilters;

/// <summary>
/// Envoy's own CORS filter for HTTPRoute CORS filters: an empty filter in the chain, the rule's
/// CorsPolicy on each of its routes. A route without a policy gets none, and the filter leaves its
/// requests alone.
/// </summary>
internal sealed class CorsFilterTranslator : IHttpFilterTranslator
{
    public const string FilterName = "envoy.filters.http.cors";

    public string HttpFilterName => FilterName;

    public bool IsNeeded(IrHttpListener listener) =>
        listener.VirtualHosts.Any(vh => vh.Routes.Any(r => r.Filters.Get(IrFeatures.Cors) is not null));

    public HttpFilter ListenerFilter(IrHttpListener listener) => new() { Name = FilterName, TypedConfig = Any.Pack(new Cors()) };

    public IPerRouteFilterConfig PerRoute(IrHttpListener listener) => new PerRouteCache();

    /// <summary>
    /// The origin matchers: exact for a plain origin, a regex for one with wildcards, where each
    /// <c>*</c> matches any run of host characters (labels and the dots between them), and every
    /// origin for <c>*</c> alone.
    /// </summary>
    internal static StringMatcher OriginMatcher(string origin)
    {
        if (!origin.Contains('*', StringComparison.Ordinal))
        {
            return new StringMatcher { Exact = origin };
        }

        if (origin == "*")
        {
            return new StringMatcher { SafeRegex = new RegexMatcher { Regex = ".*" } };
        }

        var regex = new StringBuilder("^");
        var parts = origin.Split('*');
        for (var i = 0; i < parts.Length; i++)
        {
            if (i > 0)
            {
                regex.Append("[A-Za-z0-9.-]*");
            }

            regex.Append(Re2.Escape(parts[i]));
        }

        return new StringMatcher { SafeRegex = new RegexMatcher { Regex = regex.Append('$').ToString() } };
    }

    internal static CorsPolicy Policy(IrCorsPolicy cors)
    {
        var policy = new CorsPolicy
        {
            AllowMethods = string.Join(", ", cors.AllowMethods),
            AllowHeaders = string.Join(", ", cors.AllowHeaders),
            ExposeHeaders = string.Join(", ", cors.ExposeHeaders),
            MaxAge = cors.MaxAgeSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        policy.AllowOriginStringMatch.AddRange(cors.AllowOrigins.Select(OriginMatcher));
        if (cors.AllowCredentials)
        {
            policy.AllowCredentials = true;
        }

        return policy;
    }

    /// <summary>Each distinct policy (one per rule) packed once per listener.</summary>
    private sealed class PerRouteCache : IPerRouteFilterConfig
    {
        private readonly Dictionary<IrCorsPolicy, Any> _packed = new(ReferenceEqualityComparer.Instance);

        public Any? For(IrRoute route)
        {
            if (route.Filters.Get(IrFeatures.Cors) is not { } cors)
            {
                return null;
            }

            if (!_packed.TryGetValue(cors, out var packed))
            {
                _packed[cors] = packed = Any.Pack(Policy(cors));
            }

            return packed;
        }
    }
}
