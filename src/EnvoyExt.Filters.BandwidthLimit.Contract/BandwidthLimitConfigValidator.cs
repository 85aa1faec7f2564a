using System.Globalization;

namespace EnvoyExt.Filters.BandwidthLimit.Config;

/// <summary>Range and presence checks; returns the first error as "json.path: reason", or null when valid.</summary>
internal static class BandwidthLimitConfigValidator
{
    public static string? Validate(BandwidthLimitConfig config)
    {
        if (config.Name is { } name)
        {
            if (name.Length == 0 || name.Length > BandwidthLimitFilterContract.MaxNameLength)
            {
                return Invariant($"name: must be 1 to {BandwidthLimitFilterContract.MaxNameLength} characters (got {name.Length})");
            }
            foreach (char c in name)
            {
                if (c < 0x21 || c > 0x7e)
                {
                    return "name: must be printable ASCII without spaces";
                }
            }
        }
        if (config.LimitKiBps is not { } limit)
        {
            return "limitKiBps: required";
        }
        if (limit < 1 || limit > BandwidthLimitFilterContract.MaxLimitKiBps)
        {
            return Invariant($"limitKiBps: must be between 1 and {BandwidthLimitFilterContract.MaxLimitKiBps} (got {limit})");
        }
        if (config.Direction is { } direction && direction is not (BandwidthLimitFilterContract.Request or
            BandwidthLimitFilterContract.Response or BandwidthLimitFilterContract.Both))
        {
            return $"direction: must be request, response or both (got '{direction}')";
        }
        if (config.FillIntervalMs is { } fill &&
            (fill < BandwidthLimitFilterContract.MinFillIntervalMs || fill > BandwidthLimitFilterContract.MaxFillIntervalMs))
        {
            return Invariant($"fillIntervalMs: must be between {BandwidthLimitFilterContract.MinFillIntervalMs} and {BandwidthLimitFilterContract.MaxFillIntervalMs} (got {fill})");
        }
        if (config.ResponseTrailers is { } trailers)
        {
            if (config.Direction == BandwidthLimitFilterContract.Request)
            {
                return "responseTrailers: needs direction response or both (the trailers go on throttled responses)";
            }
            if (trailers.Prefix is { } prefix && !IsTrailerPrefix(prefix))
            {
                return Invariant($"responseTrailers.prefix: must be 1 to {BandwidthLimitFilterContract.MaxTrailerPrefixLength} lower-case letters, digits or dashes (got '{prefix}')");
            }
        }
        return null;
    }

    // A header name's leading part: lower case, as HTTP/2 requires of names.
    private static bool IsTrailerPrefix(string prefix)
    {
        if (prefix.Length == 0 || prefix.Length > BandwidthLimitFilterContract.MaxTrailerPrefixLength)
        {
            return false;
        }
        foreach (char c in prefix)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '-'))
            {
                return false;
            }
        }
        return true;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
