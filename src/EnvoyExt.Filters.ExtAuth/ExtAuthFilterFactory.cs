using EnvoyExt.DynamicModules.Sdk;
using EnvoyExt.Filters.ExtAuth.Config;

namespace EnvoyExt.Filters.ExtAuth;

/// <summary>The SDK entry point of <c>filter_name: ext_auth</c> (docs/filters/ext-auth.md).</summary>
public sealed class ExtAuthFilterFactory : HttpFilterFactory
{
    /// <inheritdoc/>
    public override string FilterName => ExtAuthFilterContract.FilterName;

    /// <inheritdoc/>
    public override HttpFilterConfig? CreateConfig(FilterConfigContext context, ReadOnlySpan<byte> config, out string? error)
    {
        var settings = ExtAuthSettings.TryParse(config, out error);
        if (settings is null)
        {
            return null;
        }
        ExtAuthMetrics metrics;
        try
        {
            metrics = ExtAuthMetrics.Define(context);
        }
        catch (InvalidOperationException ex)
        {
            error = $"metrics: {ex.Message}";
            return null;
        }
        return new ExtAuthFilterConfig(settings, metrics);
    }

    /// <inheritdoc/>
    /// <remarks>A route's document is <c>{"disabled":true}</c> or a complete document that replaces the listener's.</remarks>
    public override object? CreatePerRouteConfig(ReadOnlySpan<byte> config, out string? error) =>
        ExtAuthSettings.TryParse(config, out error);
}
