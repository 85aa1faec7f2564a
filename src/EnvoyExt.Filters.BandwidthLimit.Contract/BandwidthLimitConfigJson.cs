using System.Text;
using System.Text.Json;
using EnvoyExt.Filters.Contracts;

namespace EnvoyExt.Filters.BandwidthLimit.Config;

/// <summary>Reads and writes the bandwidth_limit document; every error reads "<c>json.path: reason</c>".</summary>
public static class BandwidthLimitConfigJson
{
    /// <summary>Compact JSON exactly as the filter reads it.</summary>
    public static string Serialize(BandwidthLimitConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return JsonSerializer.Serialize(config, BandwidthLimitJsonContext.Default.BandwidthLimitConfig);
    }

    /// <summary>Parses and validates; on failure returns false and an error naming the field.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8Json, out BandwidthLimitConfig? config, out string? error) =>
        ContractJson.TryParse(utf8Json, BandwidthLimitJsonContext.Default.BandwidthLimitConfig, BandwidthLimitConfigValidator.Validate, out config, out error);

    /// <summary>Convenience overload for callers holding a string (the controller, tests).</summary>
    public static bool TryParse(string json, out BandwidthLimitConfig? config, out string? error)
    {
        ArgumentNullException.ThrowIfNull(json);
        return TryParse(Encoding.UTF8.GetBytes(json), out config, out error);
    }
}
