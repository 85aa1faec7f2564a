using EnvoyExt.Filters.RateLimit.Config;

namespace EnvoyExt.Filters.RateLimit.Matching;

/// <summary>A compiled <c>path</c> condition over the path part of <c>:path</c> (query and fragment cut off).</summary>
internal sealed class PathCondition
{
    private readonly PathMatchType _type;
    private readonly byte[] _value;
    private readonly Utf8RegexMatcher? _regex;
    private readonly bool _invert;

    public PathCondition(PathMatchType type, byte[] value, Utf8RegexMatcher? regex, bool invert)
    {
        _type = type;
        _regex = regex;
        _invert = invert;
        // "/api/" and "/api" are the same segment prefix; keep "/" as is (it matches every path).
        _value = type == PathMatchType.PathPrefix && value.Length > 1 && value[^1] == (byte)'/' ? value[..^1] : value;
    }

    public bool Evaluate(ReadOnlySpan<byte> pathAndQuery)
    {
        int cut = pathAndQuery.IndexOfAny((byte)'?', (byte)'#');
        ReadOnlySpan<byte> path = cut >= 0 ? pathAndQuery[..cut] : pathAndQuery;
        bool matched = _type switch
        {
            PathMatchType.Exact => path.SequenceEqual(_value),
            PathMatchType.PathPrefix => IsSegmentPrefix(path),
            _ => _regex!.IsMatch(path),
        };
        return matched != _invert;
    }

    private bool IsSegmentPrefix(ReadOnlySpan<byte> path)
    {
        if (!path.StartsWith(_value))
        {
            return false;
        }
        // Whole segments only: "/api" matches "/api" and "/api/x" but not "/apix".
        return path.Length == _value.Length || _value[^1] == (byte)'/' || path[_value.Length] == (byte)'/';
    }
}
