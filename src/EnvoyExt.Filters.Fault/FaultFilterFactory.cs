using EnvoyExt.DynamicModules.Sdk;
using EnvoyExt.Filters.Fault.Config;

namespace EnvoyExt.Filters.Fault;

/// <summary>The SDK entry point of <c>filter_name: fault</c> (docs/filters/fault.md).</summary>
public sealed class FaultFilterFactory : HttpFilterFactory
{
    private readonly RouteDocumentCount _routeDocuments = new();

    /// <inheritdoc/>
    public override string FilterName => FaultFilterContract.FilterName;

    /// <inheritdoc/>
    public override HttpFilterConfig? CreateConfig(FilterConfigContext context, ReadOnlySpan<byte> config, out string? error)
    {
        if (!FaultConfigJson.TryParse(config, out var parsed, out error))
        {
            return null;
        }
        FaultMetrics metrics;
        try
        {
            metrics = FaultMetrics.Define(context);
        }
        catch (InvalidOperationException ex)
        {
            error = $"metrics: {ex.Message}";
            return null;
        }
        return new FaultFilterConfig(new FaultRule(parsed!), metrics, parsed!.Seed, _routeDocuments);
    }

    /// <inheritdoc/>
    /// <remarks>A route's document is a rule of its own (its own cap and timer, disposed with the route config).</remarks>
    public override object? CreatePerRouteConfig(ReadOnlySpan<byte> config, out string? error)
    {
        if (!FaultConfigJson.TryParse(config, out var parsed, out error))
        {
            return null;
        }
        if (parsed!.Seed is not null)
        {
            error = "seed: only allowed in the listener config (the generators belong to the filter objects)";
            return null;
        }
        return new FaultRule(parsed, _routeDocuments);
    }
}
