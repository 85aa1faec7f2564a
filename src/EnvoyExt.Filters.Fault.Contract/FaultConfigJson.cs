using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace EnvoyExt.Filters.Fault.Config;

/// <summary>Reads and writes the fault document; every error reads "<c>json.path: reason</c>".</summary>
public static partial class FaultConfigJson
{
    /// <summary>Compact JSON exactly as the filter reads it.</summary>
    public static string Serialize(FaultConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return JsonSerializer.Serialize(config, FaultJsonContext.Default.FaultConfig);
    }

    /// <summary>Parses and validates; on failure returns false and an error naming the field.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8Json, out FaultConfig? config, out string? error)
    {
        config = null;
        FaultConfig? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize(utf8Json, FaultJsonContext.Default.FaultConfig);
        }
        catch (JsonException ex)
        {
            error = Describe(ex);
            return false;
        }
        if (parsed is null)
        {
            error = "config: must be a JSON object (got null)";
            return false;
        }
        error = FaultConfigValidator.Validate(parsed);
        if (error is not null)
        {
            return false;
        }
        config = parsed;
        return true;
    }

    /// <summary>Convenience overload for callers holding a string (the controller, tests).</summary>
    public static bool TryParse(string json, out FaultConfig? config, out string? error)
    {
        ArgumentNullException.ThrowIfNull(json);
        return TryParse(Encoding.UTF8.GetBytes(json), out config, out error);
    }

    // System.Text.Json reports "$.abort.httpStatus"; the contract reports "abort.httpStatus".
    private static string Describe(JsonException ex)
    {
        string path = string.IsNullOrEmpty(ex.Path) || ex.Path == "$"
            ? "config"
            : ex.Path.StartsWith("$.", StringComparison.Ordinal) ? ex.Path[2..] : ex.Path.TrimStart('$');
        var unmapped = UnmappedPropertyPattern().Match(ex.Message);
        if (unmapped.Success)
        {
            string field = unmapped.Groups[1].Value;
            bool named = path == field || path.EndsWith("." + field, StringComparison.Ordinal);
            return $"{(named ? path : path == "config" ? field : $"{path}.{field}")}: unknown field";
        }
        if (ConversionPattern().IsMatch(ex.Message))
        {
            return $"{path}: wrong JSON type";
        }
        if (ex.Message.Contains("Duplicate", StringComparison.OrdinalIgnoreCase))
        {
            return $"{path}: duplicate field";
        }
        int cut = ex.Message.IndexOf(" Path:", StringComparison.Ordinal);
        string reason = cut >= 0 ? ex.Message[..cut] : ex.Message;
        return $"{path}: invalid JSON: {reason.TrimEnd('.')}";
    }

    [GeneratedRegex(@"JSON property '([^']*)' could not be mapped")]
    private static partial Regex UnmappedPropertyPattern();

    [GeneratedRegex(@"could not be converted to")]
    private static partial Regex ConversionPattern();
}
