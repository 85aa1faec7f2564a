namespace EnvoyExt.Filters.RateLimit.Matching;

internal static class ContainsOnlyDigitsExtensions
{
    public static bool ContainsOnlyDigits(this ReadOnlySpan<char> text) => !text.ContainsAnyExceptInRange('0', '9');
}
