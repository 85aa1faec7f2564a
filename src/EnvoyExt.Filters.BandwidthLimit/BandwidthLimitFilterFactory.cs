using EnvoyExt.DynamicModules.Sdk;
using EnvoyExt.Filters.BandwidthLimit.Config;

namespace EnvoyExt.Filters.BandwidthLimit;

/// <summary>The SDK entry point of <c>filter_name: bandwidth_limit</c> (docs/filters/bandwidth-limit.md).</summary>
public sealed class BandwidthLimitFilterFactory : HttpFilterFactory
{
    /// <inheritdoc/>
    public override string FilterName => BandwidthLimitFilterContract.FilterName;

    /// <inheritdoc/>
    public override HttpFilterConfig? CreateConfig(FilterConfigContext context, ReadOnlySpan<byte> config, out string? error)
    {
        if (!BandwidthLimitConfigJson.TryParse(config, out var parsed, out error))
        {
            return null;
        }
        BandwidthLimitMetrics metrics;
        try
        {
            metrics = BandwidthLimitMetrics.Define(context);
        }
        catch (InvalidOperationException ex)
        {
            error = $"metrics: {ex.Message}";
            return null;
        }
        return new BandwidthLimitFilterConfig(new BandwidthLimiter(parsed!), metrics);
    }

    /// <inheritdoc/>
    /// <remarks>A route's document is a limit of its own (disposed with the route config).</remarks>
    public override object? CreatePerRouteConfig(ReadOnlySpan<byte> config, out string? error) =>
        BandwidthLimitConfigJson.TryParse(config, out var parsed, out error) ? new BandwidthLimiter(parsed!) : null;
}
