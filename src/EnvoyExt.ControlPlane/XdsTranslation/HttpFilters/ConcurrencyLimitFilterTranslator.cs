using EnvoyExt.ControlPlane.Ir;
using EnvoyExt.Filters.ConcurrencyLimit.Config;

namespace EnvoyExt.ControlPlane.XdsTranslation.HttpFilters;

/// <summary>Our module's concurrency_limit filter (docs/filters/concurrency-limit.md), from TrafficPolicy <c>concurrencyLimit</c>.</summary>
internal sealed class ConcurrencyLimitFilterTranslator : TrafficFilterTranslator<ConcurrencyLimitConfig>
{
    /// <summary>The HCM filter name; typed_per_filter_config entries use the same key.</summary>
    public const string FilterName = "envoyext.concurrency_limit";

    // The largest limit the filter accepts: never the bottleneck.
    private static readonly string Placeholder = ConcurrencyLimitConfigJson.Serialize(new ConcurrencyLimitConfig
    {
        MaxConcurrentRequests = ConcurrencyLimitFilterContract.MaxConcurrentRequestsLimit,
    });

    public override string HttpFilterName => FilterName;

    protected override string ModuleFilterName => ConcurrencyLimitFilterContract.FilterName;

    protected override string PlaceholderJson => Placeholder;

    protected override ConcurrencyLimitConfig? Section(IrTraffic traffic) => traffic.ConcurrencyLimit;

    protected override string Serialize(ConcurrencyLimitConfig config) => ConcurrencyLimitConfigJson.Serialize(config);
}
