using System.Text;
using System.Text.Json;
using EnvoyExt.Filters.Contracts;

namespace EnvoyExt.Filters.RateLimit.Config;

/// <summary>Where a config document is attached; only a per-route document may say <c>{"disabled": true}</c>.</summary>
public enum RateLimitConfigLevel
{
    Listener,
    Route,
}

/// <summary>
/// The one entry point for reading and writing the rate_limit config document. Every error reads
/// "<c>json.path: reason</c>" so that Envoy's log line names the offending field.
/// </summary>
public static class RateLimitConfigJson
{
    /// <summary>Compact JSON exactly as the filter reads it.</summary>
    public static string Serialize(RateLimitConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return JsonSerializer.Serialize(config, RateLimitJsonContext.Default.RateLimitConfig);
    }

    /// <summary>Parses and validates; on failure returns false and an error naming the field.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8Json, RateLimitConfigLevel level,
        out RateLimitConfig? config, out string? error) =>
        ContractJson.TryParse(utf8Json, RateLimitJsonContext.Default.RateLimitConfig,
            parsed => RateLimitConfigValidator.Validate(parsed, level), out config, out error);

    /// <summary>Convenience overload for callers holding a string (the controller, tests).</summary>
    public static bool TryParse(string json, RateLimitConfigLevel level, out RateLimitConfig? config, out string? error)
    {
        ArgumentNullException.ThrowIfNull(json);
        return TryParse(Encoding.UTF8.GetBytes(json), level, out config, out error);
    }

    /// <summary>Checks a config built in code (e.g. by the controller) against the same rules; null when valid.</summary>
    public static string? Validate(RateLimitConfig config, RateLimitConfigLevel level)
    {
        ArgumentNullException.ThrowIfNull(config);
        return RateLimitConfigValidator.Validate(config, level);
    }
}
