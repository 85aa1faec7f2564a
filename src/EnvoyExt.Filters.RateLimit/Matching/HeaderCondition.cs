using System.Runtime.CompilerServices;
using EnvoyExt.Filters.RateLimit.Config;

namespace EnvoyExt.Filters.RateLimit.Matching;

/// <summary>A compiled header condition; the name is lower-cased once here because Envoy's keys are lower-case.</summary>
internal sealed class HeaderCondition(byte[] lowerCaseName, ValueMatchType type, byte[] value, Utf8RegexMatcher? regex, bool invert)
{
    /// <summary>This name's <see cref="HeaderCache"/> slot when other conditions of the policy read it too, else -1.</summary>
    public int CacheSlot { get; set; } = -1;

    public byte[] LowerCaseName { get; } = lowerCaseName;

    public ValueMatchType Type { get; } = type;

    /// <summary>
    /// Exact/RegularExpression: true when any value of the header matches, negated by invert (so an absent
    /// header satisfies an inverted condition). Distinct: true when present; the first value joins the key.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Evaluate<TRequest, THeaders>(in TRequest request, ref THeaders headers, scoped ref DistinctKeyBuilder key)
        where TRequest : IRequestView, allows ref struct
        where THeaders : struct, IHeaderReader, allows ref struct
    {
        if (Type == ValueMatchType.Distinct)
        {
            if (!headers.TryGet(in request, CacheSlot, LowerCaseName, 0, out var first))
            {
                return false;
            }
            key.AppendValue(first);
            return true;
        }
        bool any = false;
        for (int i = 0; headers.TryGet(in request, CacheSlot, LowerCaseName, i, out var candidate); i++)
        {
            if (ValueMatches(candidate))
            {
                any = true;
                break;
            }
        }
        return any != invert;
    }

    private bool ValueMatches(ReadOnlySpan<byte> candidate) =>
        regex is null ? candidate.SequenceEqual(value) : regex.IsMatch(candidate);
}
