using EnvoyExt.DynamicModules.Sdk;
using EnvoyExt.Filters.ConcurrencyLimit.Config;

namespace EnvoyExt.Filters.ConcurrencyLimit;

/// <summary>The SDK entry point of <c>filter_name: concurrency_limit</c> (docs/filters/concurrency-limit.md).</summary>
public sealed class ConcurrencyLimitFilterFactory : HttpFilterFactory
{
    private readonly TimeProvider _clock;
    private readonly Func<Random> _newRandom;
    private readonly RouteDocumentCount _routeDocuments = new();

    /// <summary>The production factory: the system's monotonic clock for adaptive limits.</summary>
    public ConcurrencyLimitFilterFactory()
        : this(TimeProvider.System, static () => new Random())
    {
    }

    /// <summary>Adaptive limits on a given clock and randomness (deterministic tests).</summary>
    internal ConcurrencyLimitFilterFactory(TimeProvider clock, Func<Random> newRandom)
    {
        _clock = clock;
        _newRandom = newRandom;
    }

    /// <inheritdoc/>
    public override string FilterName => ConcurrencyLimitFilterContract.FilterName;

    /// <inheritdoc/>
    public override HttpFilterConfig? CreateConfig(FilterConfigContext context, ReadOnlySpan<byte> config, out string? error)
    {
        if (!ConcurrencyLimitConfigJson.TryParse(config, out var parsed, out error))
        {
            return null;
        }
        ConcurrencyLimitMetrics metrics;
        try
        {
            metrics = ConcurrencyLimitMetrics.Define(context);
        }
        catch (InvalidOperationException ex)
        {
            error = $"metrics: {ex.Message}";
            return null;
        }
        var random = _newRandom();
        return new ConcurrencyLimitFilterConfig(new ConcurrencyLimiter(parsed!, _clock, random), metrics, _routeDocuments,
            new SeedSequence((ulong)random.NextInt64()));
    }

    /// <inheritdoc/>
    /// <remarks>A route's document is a limiter of its own (disposed with the route config).</remarks>
    public override object? CreatePerRouteConfig(ReadOnlySpan<byte> config, out string? error) =>
        ConcurrencyLimitConfigJson.TryParse(config, out var parsed, out error) ? new ConcurrencyLimiter(parsed!, _clock, _newRandom(), _routeDocuments) : null;
}
