using System.Text.RegularExpressions;

namespace EnvoyExt.ControlPlane.GatewayApi;

/// <summary>
/// The strings of a route checked as the Gateway API CRDs and Envoy check them, before they reach
/// a snapshot: Envoy rejects a whole RouteConfiguration (NACK) for one bad header name, a CR/LF/NUL
/// in a header value, host or path rewrite, or a regex RE2 cannot compile. Each check returns the
/// reason (without the field path), or null when the value is acceptable.
/// </summary>
internal static partial class EnvoyStrings
{
    /// <summary>Gateway API HeaderName / HTTPHeaderName: 1..256 RFC 7230 token characters.</summary>
    public static string? HeaderName(string name)
    {
        if (name.Length is 0 or > 256)
        {
            return $"a header name must be 1..256 characters (got {name.Length})";
        }

        return name.AsSpan().ContainsAnyExcept(TokenChars)
            ? $"\"{Printable(name)}\" is not a valid header name (RFC 7230 token characters only: no spaces, colons, control or non-ASCII characters)"
            : null;
    }

    /// <summary>A request header a route may set, add or remove: Envoy refuses pseudo-headers (a token check excludes them) and Host.</summary>
    public static string? ModifiableRequestHeader(string name) =>
        HeaderName(name) ?? (name.Equals("host", StringComparison.OrdinalIgnoreCase) ? "the Host header cannot be modified by a header filter" : null);

    /// <summary>Header and query values: at most 4096 characters, no CR, LF or NUL, valid Unicode.</summary>
    public static string? HeaderValue(string value, int maxLength = 4096)
    {
        if (value.Length > maxLength)
        {
            return $"at most {maxLength} characters (got {value.Length})";
        }

        if (value.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0)
        {
            return $"\"{Printable(value)}\" must not contain CR, LF or NUL";
        }

        return HasUnpairedSurrogate(value) ? "not valid UTF-8 (unpaired surrogate)" : null;
    }

    /// <summary>
    /// An HTTP path (match values and rewrites): starts with '/', at most 1024 characters, only the
    /// characters the Gateway API CRD allows (RFC 3986 path characters and %-escapes), so no spaces,
    /// control or non-ASCII characters.
    /// </summary>
    public static string? Path(string value)
    {
        if (!value.StartsWith('/'))
        {
            return $"\"{Printable(value)}\" must start with '/'";
        }

        if (value.Length > 1024)
        {
            return $"at most 1024 characters (got {value.Length})";
        }

        return PathPattern().IsMatch(value)
            ? null
            : $"\"{Printable(value)}\" contains characters a path cannot hold (spaces, control, non-ASCII, '?', '#' or a bad %-escape)";
    }

    /// <summary>Gateway API PreciseHostname (redirect and rewrite hosts): an RFC 1123 name, no wildcard.</summary>
    public static string? PreciseHostname(string host) =>
        !host.StartsWith('*') && Hostnames.IsValid(host) ? null : $"\"{Printable(host)}\" is not a valid hostname (RFC 1123, lower case, no wildcard)";

    /// <summary>
    /// A regex Envoy's RE2 compiles: it must parse, and use none of the constructs RE2 lacks
    /// (lookaround, backreferences, atomic groups, possessive quantifiers, conditionals, comments,
    /// the x and n flags, \G, \Z) nor
    /// repeat counts over 1000.
    /// </summary>
    public static string? Re2Regex(string pattern)
    {
        if (pattern.Length is 0 or > 1024)
        {
            return $"a regular expression must be 1..1024 characters (got {pattern.Length})";
        }

        if (HeaderValue(pattern, 1024) is { } bad)
        {
            return bad;
        }

        try
        {
            // RE2's Python-style named group "(?P<name>" is "(?<name>" to .NET's parser.
            _ = new Regex(pattern.Replace("(?P<", "(?<", StringComparison.Ordinal), RegexOptions.None, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException e)
        {
            return $"invalid regular expression: {e.Message}";
        }

        if (Re2Unsupported().Match(pattern) is { Success: true } construct)
        {
            return $"\"{construct.Value}\" is not supported by RE2 (Envoy's regex engine)";
        }

        foreach (Match count in RepeatCount().Matches(pattern))
        {
            foreach (var group in new[] { count.Groups[1], count.Groups[2] })
            {
                if (group.Success && (group.Length > 4 || int.Parse(group.Value, System.Globalization.CultureInfo.InvariantCulture) > 1000))
                {
                    return $"repeat count {count.Value} is over RE2's limit of 1000";
                }
            }
        }

        return null;
    }

    /// <summary>Whether a string cannot be encoded as UTF-8 (a lone UTF-16 surrogate).</summary>
    public static bool HasUnpairedSurrogate(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(value[i]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A value as it can be quoted in a status message: control characters escaped, at most 64 characters.</summary>
    private static string Printable(string value)
    {
        var shown = value.Length > 64 ? value[..64] + "..." : value;
        var sb = new System.Text.StringBuilder(shown.Length);
        foreach (var c in shown)
        {
            if (char.IsControl(c) || char.IsSurrogate(c))
            {
                sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    private static readonly System.Buffers.SearchValues<char> TokenChars =
        System.Buffers.SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    [GeneratedRegex(@"\A(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|%[0-9a-fA-F]{2})+\z")]
    private static partial Regex PathPattern();

    // Escaped backslashes first, so "\\1" (a literal backslash then "1") is not read as a backreference.
    [GeneratedRegex(@"(?<!\\)(?:\\\\)*(?:\(\?(?:[=!>('#]|<[=!]|[imsU-]*[xn])|\\[1-9]|\\k[<'{]|\\[GZ]|[*+?}]\+)")]
    private static partial Regex Re2Unsupported();

    [GeneratedRegex(@"(?<!\\)\{(\d+)(?:,(\d*))?\}")]
    private static partial Regex RepeatCount();
}
