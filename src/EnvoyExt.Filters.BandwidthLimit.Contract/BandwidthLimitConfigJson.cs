using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace EnvoyExt.Filters.BandwidthLimit.Config;

/// <summary>Reads and writes the bandwidth_limit document; every error reads "<c>json.path: reason</c>".</summary>
public static partial class BandwidthLimitConfigJson
{
    /// <summary>Compact JSON exactly as the filter reads it.</summary>
    public static string Serialize(BandwidthLimitConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return JsonSerializer.Serialize(config, BandwidthLimitJsonContext.Default.BandwidthLimitConfig);
    }

    /// <summary>Parses and validates; on failure returns false and an error naming the field.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8Json, out BandwidthLimitConfig? config, out string? error)
    {
        config = null;
        BandwidthLimitConfig? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize(utf8Json, BandwidthLimitJsonContext.Default.BandwidthLimitConfig);
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
        error = BandwidthLimitConfigValidator.Validate(parsed);
        if (error is not null)
        {
            return false;
        }
        config = parsed;
        return true;
    }

    /// <summary>Convenience overload for callers holding a string (the controller, tests).</summary>
    public static bool TryParse(string json, out BandwidthLimitConfig? config, out string? error)
    {
        ArgumentNullException.ThrowIfNull(json);
        return TryParse(Encoding.UTF8.GetBytes(json), out config, out error);
    }

    // System.Text.Json reports "$.limitKiBps"; the contract reports "limitKiBps".
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
