using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

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
public static partial class RateLimitConfigJson
{
    /// <summary>Compact JSON exactly as the filter reads it.</summary>
    public static string Serialize(RateLimitConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return JsonSerializer.Serialize(config, RateLimitJsonContext.Default.RateLimitConfig);
    }

    /// <summary>Parses and validates; on failure returns false and an error naming the field.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8Json, RateLimitConfigLevel level,
        out RateLimitConfig? config, out string? error)
    {
        config = null;
        RateLimitConfig? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize(utf8Json, RateLimitJsonContext.Default.RateLimitConfig);
        }
        catch (JsonException ex)
        {
            error = DescribeJsonException(ex);
            return false;
        }
        if (parsed is null)
        {
            error = "config: must be a JSON object (got null)";
            return false;
        }
        error = RateLimitConfigValidator.Validate(parsed, level);
        if (error is not null)
        {
            return false;
        }
        config = parsed;
        return true;
    }

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

    // System.Text.Json reports the path as "$.a[0].b"; we report "a[0].b". Its messages for
    // framework-detected errors are rewritten into the short forms the contract documents.
    private static string DescribeJsonException(JsonException ex)
    {
        string path = ToContractPath(ex.Path);
        if (ex is RateLimitConfigException)
        {
            return $"{path}: {ex.Message}";
        }
        string message = ex.Message;
        var unmapped = UnmappedPropertyPattern().Match(message);
        if (unmapped.Success)
        {
            string field = unmapped.Groups[1].Value;
            // The reported path may or may not already end with the unknown property; normalise.
            string parent = path.EndsWith("." + field, StringComparison.Ordinal) || path == field
                ? path
                : JoinPath(path, field);
            return $"{parent}: unknown field";
        }
        var missing = MissingRequiredPattern().Match(message);
        if (missing.Success)
        {
            return $"{JoinPath(path, missing.Groups[1].Value)}: required";
        }
        var conversion = ConversionPattern().Match(message);
        if (conversion.Success)
        {
            return $"{path}: wrong JSON type, expected {ExpectedShape(conversion.Groups[1].Value)}";
        }
        if (message.Contains("Duplicate", StringComparison.OrdinalIgnoreCase))
        {
            return $"{path}: duplicate field";
        }
        int cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        string reason = cut >= 0 ? message[..cut] : message;
        return $"{path}: invalid JSON: {reason.TrimEnd('.')}";
    }

    private static string ToContractPath(string? jsonPath)
    {
        if (string.IsNullOrEmpty(jsonPath) || jsonPath == "$")
        {
            return "config";
        }
        return jsonPath.StartsWith("$.", StringComparison.Ordinal) ? jsonPath[2..] : jsonPath.TrimStart('$');
    }

    private static string JoinPath(string parent, string field) => parent == "config" ? field : $"{parent}.{field}";

    private static string ExpectedShape(string clrType)
    {
        if (clrType.StartsWith("System.Collections.Generic.List", StringComparison.Ordinal))
        {
            return "an array";
        }
        if (clrType.Contains("Int64", StringComparison.Ordinal) || clrType.Contains("Int32", StringComparison.Ordinal))
        {
            return "an integer";
        }
        if (clrType.Contains("Boolean", StringComparison.Ordinal))
        {
            return "true or false";
        }
        if (clrType.Contains("System.String", StringComparison.Ordinal))
        {
            return "a string";
        }
        return "an object";
    }

    [GeneratedRegex(@"JSON property '([^']*)' could not be mapped")]
    private static partial Regex UnmappedPropertyPattern();

    [GeneratedRegex(@"missing required properties including: '([^']*)'")]
    private static partial Regex MissingRequiredPattern();

    [GeneratedRegex(@"could not be converted to ([^ ]+?)\.? Path")]
    private static partial Regex ConversionPattern();
}
