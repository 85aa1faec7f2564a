using System.Text.RegularExpressions;

namespace EnvoyExt.Filters.RateLimit.Config;

/// <summary>
/// Config-time check of a contract regex: it must compile with the linear-time (NonBacktracking)
/// engine the filter matches with. A pattern valid on its own stays valid inside the filter's
/// full-match anchors, so checking it alone is enough.
/// </summary>
internal static class RegexSyntax
{
    public static string? Check(string pattern)
    {
        try
        {
            _ = new Regex(pattern, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant);
            return null;
        }
        catch (ArgumentException ex)
        {
            return $"invalid regular expression: {ex.Message}";
        }
        catch (NotSupportedException ex)
        {
            return $"invalid regular expression (not supported by the non-backtracking engine): {ex.Message}";
        }
    }
}
