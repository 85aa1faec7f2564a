using System.Text;
using System.Text.Json;
using EnvoyExt.Filters.Contracts;

namespace EnvoyExt.Filters.ExtAuth.Config;

/// <summary>Reads and writes the ext_auth document; every error reads "<c>json.path: reason</c>".</summary>
public static class ExtAuthConfigJson
{
    /// <summary>Compact JSON exactly as the filter reads it.</summary>
    public static string Serialize(ExtAuthConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return JsonSerializer.Serialize(config, ExtAuthJsonContext.Default.ExtAuthConfig);
    }

    /// <summary>Parses and validates; on failure returns false and an error naming the field.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8Json, out ExtAuthConfig? config, out string? error) =>
        ContractJson.TryParse(utf8Json, ExtAuthJsonContext.Default.ExtAuthConfig, ExtAuthConfigValidator.Validate, out config, out error);

    /// <summary>Convenience overload for callers holding a string (the controller, tests).</summary>
    public static bool TryParse(string json, out ExtAuthConfig? config, out string? error)
    {
        ArgumentNullException.ThrowIfNull(json);
        return TryParse(Encoding.UTF8.GetBytes(json), out config, out error);
    }
}
