using System.Text.RegularExpressions;

namespace EnvoyExt.Filters.RateLimit.Matching;

/// <summary>
/// Builds the full-match regexes of the contract. NonBacktracking gives linear-time matching, so a
/// hostile header value cannot make a worker spin (no catastrophic backtracking, no timeout needed).
/// </summary>
internal static class RegexFactory
{
    public static Regex? TryCreateFullMatch(string pattern, out string? reason)
    {
        try
        {
            reason = null;
            // Parse the pattern on its own first: a pattern that is valid alone has balanced groups, so the
            // wrapper below cannot be escaped (e.g. "a)|(b" would otherwise defeat the anchors).
            _ = new Regex(pattern, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant);
            // \A...\z anchors the whole value (not just a line); the group keeps alternations inside.
            return new Regex($@"\A(?:{pattern})\z", RegexOptions.NonBacktracking | RegexOptions.CultureInvariant);
        }
        catch (ArgumentException ex)
        {
            reason = $"invalid regular expression: {ex.Message}";
            return null;
        }
        catch (NotSupportedException ex)
        {
            reason = $"invalid regular expression (not supported by the non-backtracking engine): {ex.Message}";
            return null;
        }
    }
}
