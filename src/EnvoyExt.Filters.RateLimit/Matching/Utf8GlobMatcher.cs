using System.Text;

namespace EnvoyExt.Filters.RateLimit.Matching;

/// <summary>
/// Byte-level matcher for the regex shape most policies use: ASCII literals joined by <c>.*</c>
/// ("mobile-.*", ".*bot.*", "v1", "/api/.*/items"). Equivalent to the full-match regex over the value's
/// UTF-8 decoding: literals are ASCII, and ASCII characters decode from exactly their own bytes, in order, so
/// where a literal occurs is the same in bytes and in chars; what lies between them is <c>.*</c>, which takes
/// any character but '\n', and '\n' decodes only from the byte 0x0A. Matching is a few vectorised searches
/// instead of a transcode plus a regex run. Any other pattern yields null and runs on the regex engine.
/// </summary>
internal sealed class Utf8GlobMatcher
{
    private const string MetaCharacters = @"\^$.|?*+()[]{}";

    // Literals[0] must start the value and Literals[^1] end it unless the pattern starts/ends with ".*".
    private readonly byte[][] _literals;
    private readonly bool _anyPrefix;
    private readonly bool _anySuffix;
    private readonly int _minLength;

    private Utf8GlobMatcher(byte[][] literals, bool anyPrefix, bool anySuffix)
    {
        _literals = literals;
        _anyPrefix = anyPrefix;
        _anySuffix = anySuffix;
        _minLength = literals.Sum(l => l.Length);
    }

    /// <summary>The matcher for <paramref name="pattern"/>, or null when it is not literals joined by <c>.*</c>.</summary>
    public static Utf8GlobMatcher? TryCreate(string pattern)
    {
        var literals = new List<byte[]>();
        var current = new StringBuilder();
        int wildcards = 0;
        for (int i = 0; i < pattern.Length; i++)
        {
            char c = pattern[i];
            if (c == '.' && i + 1 < pattern.Length && pattern[i + 1] == '*')
            {
                // ".*?" is lazy, ".*+" / ".**" are not valid here: leave anything after ".*" but a literal or
                // another ".*" to the regex engine.
                if (i + 2 < pattern.Length && pattern[i + 2] is '?' or '+' or '*' or '{')
                {
                    return null;
                }
                literals.Add(Encoding.ASCII.GetBytes(current.ToString()));
                current.Clear();
                wildcards++;
                i++;
                continue;
            }
            if (c == '\\' && i + 1 < pattern.Length && IsEscapableMeta(pattern[i + 1]))
            {
                c = pattern[++i];
            }
            else if (c < 0x20 || c > 0x7E || MetaCharacters.Contains(c))
            {
                return null;
            }
            // A literal followed by a quantifier repeats that character: not a plain literal.
            if (i + 1 < pattern.Length && pattern[i + 1] is '?' or '*' or '+' or '{')
            {
                return null;
            }
            current.Append(c);
        }
        literals.Add(Encoding.ASCII.GetBytes(current.ToString()));
        // Consecutive ".*" leave empty literals between them; they constrain nothing.
        bool anyPrefix = wildcards > 0 && literals[0].Length == 0;
        bool anySuffix = wildcards > 0 && literals[^1].Length == 0;
        var kept = literals.Where((l, index) => l.Length > 0 || (index == 0 && !anyPrefix)).ToList();
        if (kept.Count == 0)
        {
            kept.Add([]);
        }
        return new Utf8GlobMatcher([.. kept], anyPrefix, anySuffix);
    }

    public bool IsMatch(ReadOnlySpan<byte> value)
    {
        if (value.Length < _minLength || value.Contains((byte)'\n'))
        {
            return false;
        }
        var literals = _literals;
        if (literals.Length == 1 && !_anyPrefix && !_anySuffix)
        {
            return value.SequenceEqual(literals[0]);
        }
        int first = 0;
        int last = literals.Length - 1;
        if (!_anyPrefix)
        {
            if (!value.StartsWith(literals[0]))
            {
                return false;
            }
            value = value[literals[0].Length..];
            first = 1;
        }
        if (!_anySuffix && first <= last)
        {
            if (!value.EndsWith(literals[last]))
            {
                return false;
            }
            value = value[..^literals[last].Length];
            last--;
        }
        // Middle literals in order, each at its leftmost occurrence: taking the earliest never hurts later ones.
        for (int i = first; i <= last; i++)
        {
            int at = value.IndexOf(literals[i]);
            if (at < 0)
            {
                return false;
            }
            value = value[(at + literals[i].Length)..];
        }
        return true;
    }

    private static bool IsEscapableMeta(char c) => MetaCharacters.Contains(c) || c is '/' or '-' or '#' or ' ' or '"' or '\'';
}
