using System.Buffers;
using EnvoyExt.Filters.RateLimit.Config;

namespace EnvoyExt.Filters.RateLimit.Matching;

/// <summary>
/// A compiled <c>queryParams</c> condition. Names are compared as sent; values are percent-decoded first
/// (into a stack buffer), so "a%20b" matches the configured "a b". Any occurrence of a repeated parameter
/// can satisfy Exact/RegularExpression; Distinct uses the first one.
/// </summary>
internal sealed class QueryParamCondition(byte[] name, ValueMatchType type, byte[] value, Utf8RegexMatcher? regex, bool invert)
{
    private const int StackBytes = 256;

    public bool Evaluate(ReadOnlySpan<byte> pathAndQuery, scoped ref DistinctKeyBuilder key)
    {
        int question = pathAndQuery.IndexOf((byte)'?');
        ReadOnlySpan<byte> query = question < 0 ? default : pathAndQuery[(question + 1)..];
        int hash = query.IndexOf((byte)'#');
        if (hash >= 0)
        {
            query = query[..hash];
        }
        byte[]? rented = null;
        Span<byte> decoded = query.Length <= StackBytes
            ? stackalloc byte[StackBytes]
            : (rented = ArrayPool<byte>.Shared.Rent(query.Length));
        try
        {
            bool any = false;
            while (!query.IsEmpty)
            {
                int amp = query.IndexOf((byte)'&');
                ReadOnlySpan<byte> pair = amp < 0 ? query : query[..amp];
                query = amp < 0 ? default : query[(amp + 1)..];
                int eq = pair.IndexOf((byte)'=');
                ReadOnlySpan<byte> pairName = eq < 0 ? pair : pair[..eq];
                if (!pairName.SequenceEqual(name))
                {
                    continue;
                }
                int n = PercentDecode(eq < 0 ? default : pair[(eq + 1)..], decoded);
                ReadOnlySpan<byte> candidate = decoded[..n];
                if (type == ValueMatchType.Distinct)
                {
                    key.AppendValue(candidate);
                    return true;
                }
                if (regex is null ? candidate.SequenceEqual(value) : regex.IsMatch(candidate))
                {
                    any = true;
                    break;
                }
            }
            return type != ValueMatchType.Distinct && any != invert;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>%XX becomes one byte; a malformed escape is kept literally. Output is never longer than input.</summary>
    internal static int PercentDecode(ReadOnlySpan<byte> input, Span<byte> output)
    {
        int o = 0;
        for (int i = 0; i < input.Length; i++)
        {
            byte c = input[i];
            if (c == (byte)'%' && i + 2 < input.Length && HexValue(input[i + 1]) is int hi and >= 0 && HexValue(input[i + 2]) is int lo and >= 0)
            {
                output[o++] = (byte)((hi << 4) | lo);
                i += 2;
                continue;
            }
            output[o++] = c;
        }
        return o;
    }

    private static int HexValue(byte c) => c switch
    {
        >= (byte)'0' and <= (byte)'9' => c - '0',
        >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => c - 'A' + 10,
        _ => -1,
    };
}
