using System.Text;
using System.Text.Json;
using EnvoyExt.Filters.Contracts;

namespace EnvoyExt.Filters.Auth.Config;

/// <summary>Where a config document is attached; only a per-route document may say <c>{"disabled": true}</c>.</summary>
public enum AuthConfigLevel
{
    Listener,
    Route,
}

/// <summary>Reads and writes the auth config document; every error reads "<c>json.path: reason</c>".</summary>
public static class AuthConfigJson
{
    /// <summary>Compact JSON exactly as the filter reads it.</summary>
    public static string Serialize(AuthConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return JsonSerializer.Serialize(config, AuthJsonContext.Default.AuthConfig);
    }

    /// <summary>Parses and validates; on failure returns false and an error naming the field.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8Json, AuthConfigLevel level, out AuthConfig? config, out string? error) =>
        ContractJson.TryParse(utf8Json, AuthJsonContext.Default.AuthConfig,
            parsed => AuthConfigValidator.Validate(parsed, level), out config, out error);

    /// <summary>Convenience overload for callers holding a string (the controller, tests).</summary>
    public static bool TryParse(string json, AuthConfigLevel level, out AuthConfig? config, out string? error)
    {
        ArgumentNullException.ThrowIfNull(json);
        return TryParse(Encoding.UTF8.GetBytes(json), level, out config, out error);
    }

    /// <summary>Checks a config built in code against the same rules; null when valid.</summary>
    public static string? Validate(AuthConfig config, AuthConfigLevel level)
    {
        ArgumentNullException.ThrowIfNull(config);
        return AuthConfigValidator.Validate(config, level);
    }
}
