using EnvoyExt.DynamicModules.Sdk;
using EnvoyExt.Filters.Auth;
using EnvoyExt.Filters.BandwidthLimit;
using EnvoyExt.Filters.ConcurrencyLimit;
using EnvoyExt.Filters.ExtAuth;
using EnvoyExt.Filters.Fault;
using EnvoyExt.Filters.RateLimit;
using EnvoyExt.Filters.SetHeader;

namespace EnvoyExt.Module;

/// <summary>Every production filter, by filter_name: one line per filter (and its project in ProductionFilters.props).</summary>
internal static class FilterCatalog
{
    public static HttpFilterFactory[] Production() =>
    [
        new RateLimitFilterFactory(),
        new SetHeaderFilterFactory(),
        new ConcurrencyLimitFilterFactory(),
        new ExtAuthFilterFactory(),
        new FaultFilterFactory(),
        new BandwidthLimitFilterFactory(),
        new AuthFilterFactory(),
    ];
}
