using EnvoyExt.ControlPlane.Ir;
using EnvoyExt.Filters.Fault.Config;

namespace EnvoyExt.ControlPlane.XdsTranslation.HttpFilters;

/// <summary>Our module's fault filter (docs/filters/fault.md), from TrafficPolicy <c>faultInjection</c>.</summary>
internal sealed class FaultFilterTranslator : TrafficFilterTranslator<FaultConfig>
{
    /// <summary>The HCM filter name; typed_per_filter_config entries use the same key.</summary>
    public const string FilterName = "envoyext.fault";

    // An abort drawn for no request: valid, and a no-op.
    private static readonly string Placeholder = FaultConfigJson.Serialize(new FaultConfig
    {
        Abort = new FaultAbort { HttpStatus = 503, Percentage = new FaultPercentage { Numerator = 0 } },
    });

    public override string HttpFilterName => FilterName;

    protected override string ModuleFilterName => FaultFilterContract.FilterName;

    protected override string PlaceholderJson => Placeholder;

    protected override FaultConfig? Section(IrTraffic traffic) => traffic.Fault;

    protected override string Serialize(FaultConfig config) => FaultConfigJson.Serialize(config);
}
