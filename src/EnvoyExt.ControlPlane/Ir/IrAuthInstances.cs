using System.Runtime.CompilerServices;
using EnvoyExt.Filters.Auth.Config;

namespace EnvoyExt.ControlPlane.Ir;

/// <summary>
/// The distinct auth documents of one HTTP listener, each served by its own auth filter instance
/// (the auth filter subscribes to secrets only when a filter config is created, so a route cannot
/// bring its own document). The listener's own document comes first, then the routes' in route order;
/// documents are compared by their JSON, so equal configurations from different policy chains share
/// an instance.
/// </summary>
public static class IrAuthInstances
{
    /// <summary>Most auth filter instances in one listener's chain; routes past it answer 500 (see IrBuilder).</summary>
    public const int Max = 16;

    private static readonly ConditionalWeakTable<IrAuth, string> Json = [];

    private static readonly ConditionalWeakTable<IrHttpListener, IReadOnlyList<string>> Cache = [];

    /// <summary>The filter document of a feature, serialized once per feature object.</summary>
    public static string JsonOf(IrAuth auth) => Json.GetValue(auth, a => AuthConfigJson.Serialize(a.Config));

    /// <summary>The listener's distinct documents in instance order.</summary>
    public static IReadOnlyList<string> Of(IrHttpListener listener) =>
        Cache.GetValue(listener, l => Distinct(l.Filters, l.VirtualHosts.SelectMany(v => v.Routes)));

    /// <summary>Distinct documents of a listener's features and routes, in instance order.</summary>
    public static IReadOnlyList<string> Distinct(IrFilterFeatures listenerFeatures, IEnumerable<IrRoute> routes)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<string>();
        foreach (var auth in routes.Select(r => r.Filters.Get(IrFeatures.Auth)).Prepend(listenerFeatures.Get(IrFeatures.Auth)))
        {
            if (auth is not null && seen.Add(JsonOf(auth)))
            {
                result.Add(JsonOf(auth));
            }
        }

        return result;
    }
}
