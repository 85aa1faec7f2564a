using System.Buffers.Text;
using System.Text.Json;

namespace EnvoyExt.Filters.RateLimit.ResponseCost;

/// <summary>What a response said about a request's cost.</summary>
internal enum CostReading : byte
{
    Found,

    /// <summary>No such header or member (or not within the inspected prefix of the body).</summary>
    Missing,

    /// <summary>Present but not a non-negative integer, or the body is not JSON.</summary>
    Invalid,
}

/// <summary>
/// Reads a cost from a header value or from buffered JSON body bytes without allocating: the body is walked
/// with <see cref="Utf8JsonReader"/> and member names are compared as UTF-8 (escapes decoded by the reader).
/// </summary>
internal static class ResponseCostReader
{
    /// <summary>Costs are charged as 32-bit token counts; larger values are clamped.</summary>
    public const uint MaxCost = uint.MaxValue;

    private static readonly JsonReaderOptions s_options = new() { MaxDepth = 64 };

    /// <summary>A header value: ASCII digits only (surrounding spaces allowed).</summary>
    public static CostReading FromHeader(ReadOnlySpan<byte> value, out uint cost)
    {
        value = value.Trim((byte)' ');
        if (value.IsEmpty || !Utf8Parser.TryParse(value, out ulong parsed, out int consumed) || consumed != value.Length)
        {
            cost = 0;
            return CostReading.Invalid;
        }
        cost = (uint)Math.Min(parsed, MaxCost);
        return CostReading.Found;
    }

    /// <summary>
    /// The integer at <paramref name="path"/> (member names from the outermost object in).
    /// <paramref name="complete"/> is false when <paramref name="body"/> is only the body's prefix: a member
    /// that does not end within it is Missing, not Invalid.
    /// </summary>
    public static CostReading FromJson(ReadOnlySpan<byte> body, bool complete, byte[][] path, out uint cost)
    {
        cost = 0;
        // No body, or one that is not a JSON object or array (an error page, say), is decided without the reader, which
        // would throw (and allocate) for it: only a malformed object or array reaches the exception path below.
        int start = body.IndexOfAnyExcept(" \t\r\n"u8);
        if (start < 0)
        {
            return CostReading.Missing;
        }
        if (body[start] is not ((byte)'{' or (byte)'['))
        {
            return CostReading.Invalid;
        }
        var reader = new Utf8JsonReader(body, complete, new JsonReaderState(s_options));
        try
        {
            if (!reader.Read())
            {
                return CostReading.Missing;
            }
            for (int segment = 0; segment < path.Length; segment++)
            {
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    return CostReading.Missing;
                }
                if (!FindMember(ref reader, path[segment]))
                {
                    return CostReading.Missing;
                }
            }
            if (reader.TokenType != JsonTokenType.Number)
            {
                return CostReading.Invalid;
            }
            if (!reader.TryGetUInt64(out ulong value))
            {
                // Negative, fractional or out of range.
                return CostReading.Invalid;
            }
            cost = (uint)Math.Min(value, MaxCost);
            return CostReading.Found;
        }
        catch (JsonException)
        {
            // The upstream's body is not JSON (an error page, say): nothing to charge. The reader only throws here
            // for malformed input, never for a well-formed body.
            return CostReading.Invalid;
        }
    }

    // On StartObject: reads members until `name`, leaving the reader on its value. False at the object's end or
    // when the data (a prefix of the body) runs out.
    private static bool FindMember(ref Utf8JsonReader reader, byte[] name)
    {
        while (true)
        {
            if (!reader.Read())
            {
                return false;
            }
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                return false;
            }
            bool match = reader.ValueTextEquals(name);
            if (!reader.Read())
            {
                return false;
            }
            if (match)
            {
                return true;
            }
            if (!reader.TrySkip())
            {
                return false;
            }
        }
    }
}
