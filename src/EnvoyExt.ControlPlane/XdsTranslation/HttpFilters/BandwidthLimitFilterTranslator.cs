using EnvoyExt.ControlPlane.Ir;
using EnvoyExt.Filters.BandwidthLimit.Config;

namespace EnvoyExt.ControlPlane.XdsTranslation.HttpFilters;

/// <summary>Our module's bandwidth_limit filter (docs/filters/bandwidth-limit.md), from TrafficPolicy <c>bandwidthLimit</c>.</summary>
internal sealed class BandwidthLimitFilterTranslator : TrafficFilterTranslator<BandwidthLimitConfig>
{
    /// <summary>The HCM filter name; typed_per_filter_config entries use the same key.</summary>
    public const string FilterName = "envoyext.bandwidth_limit";

    // The largest rate the filter accepts: never the bottleneck.
    private static readonly string Placeholder = BandwidthLimitConfigJson.Serialize(new BandwidthLimitConfig
    {
        LimitKiBps = BandwidthLimitFilterContract.MaxLimitKiBps,
    });

    public override string HttpFilterName => FilterName;

    protected override string ModuleFilterName => BandwidthLimitFilterContract.FilterName;

    protected override string PlaceholderJson => Placeholder;

    protected override BandwidthLimitConfig? Section(IrTraffic traffic) => traffic.BandwidthLimit;

    protected override string Serialize(BandwidthLimitConfig config) => BandwidthLimitConfigJson.Serialize(config);
}
