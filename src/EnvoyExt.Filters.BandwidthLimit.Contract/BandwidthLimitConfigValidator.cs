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
        return null;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
