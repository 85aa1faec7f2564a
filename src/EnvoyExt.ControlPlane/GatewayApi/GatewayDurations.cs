using System.Globalization;
using System.Text.RegularExpressions;

namespace EnvoyExt.ControlPlane.GatewayApi;

/// <summary>
/// Gateway API durations (GEP-2257): one to four parts of up to five digits with h, m, s or ms, e.g.
/// "1h", "500ms", "1m30s". Read into milliseconds; "0s" (any all-zero duration) means "no timeout".
/// </summary>
internal static partial class GatewayDurations
{
    public static long? TryParseMs(string text, out string? error)
    {
        error = null;
        if (!Format().IsMatch(text))
        {
            error = $"\"{text}\" is not a Gateway API duration (e.g. 10s, 500ms, 1m30s)";
            return null;
        }
        long total = 0;
        foreach (Match part in Part().Matches(text))
        {
            long value = long.Parse(part.Groups[1].Value, CultureInfo.InvariantCulture);
            total += part.Groups[2].Value switch
            {
                "h" => value * 3_600_000,
                "m" => value * 60_000,
                "s" => value * 1_000,
                _ => value,
            };
        }
        return total;
    }

    [GeneratedRegex(@"^([0-9]{1,5}(h|m|s|ms)){1,4}$")]
    private static partial Regex Format();

    [GeneratedRegex(@"([0-9]{1,5})(ms|h|m|s)")]
    private static partial Regex Part();
}
