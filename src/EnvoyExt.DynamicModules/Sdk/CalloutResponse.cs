using EnvoyExt.DynamicModules.Abi;

namespace EnvoyExt.DynamicModules.Sdk;

/// <summary>The response of a one-shot HTTP callout; every view dies when OnHttpCalloutDone returns.</summary>
public readonly unsafe ref struct CalloutResponse
{
    internal CalloutResponse(EnvoyHttpHeader* headers, nuint headerCount, EnvoyBuffer* chunks, nuint chunkCount)
    {
        Headers = new CalloutHeaders(headers, headerCount);
        Body = new CalloutBody(chunks, chunkCount);
    }

    /// <summary>The response headers, <c>:status</c> included.</summary>
    public CalloutHeaders Headers { get; }

    /// <summary>The response body.</summary>
    public CalloutBody Body { get; }

    /// <summary>Number of response headers.</summary>
    public int HeaderCount => Headers.Count;

    /// <summary>Response header <paramref name="index"/>.</summary>
    /// <param name="index">0 to <see cref="HeaderCount"/> - 1.</param>
    /// <returns>The header.</returns>
    public HeaderPair Header(int index) => Headers[index];

    /// <summary>First value of <paramref name="key"/> (e.g. ":status").</summary>
    /// <param name="key">Lower-case header name.</param>
    /// <param name="value">The value, or empty when absent.</param>
    /// <returns>False when absent.</returns>
    public bool TryGetHeader(ReadOnlySpan<byte> key, out ReadOnlySpan<byte> value) => Headers.TryGet(key, out value);

    /// <summary>Number of body slices.</summary>
    public int BodyChunkCount => Body.ChunkCount;

    /// <summary>Body slice <paramref name="index"/>.</summary>
    /// <param name="index">0 to <see cref="BodyChunkCount"/> - 1.</param>
    /// <returns>The slice's bytes.</returns>
    public ReadOnlySpan<byte> BodyChunk(int index) => Body.Chunk(index);

    /// <summary>Total body bytes.</summary>
    public long BodyLength => Body.Length;

    /// <summary>Copies up to destination.Length body bytes.</summary>
    /// <param name="destination">Where the bytes go.</param>
    /// <returns>How many bytes were copied.</returns>
    public int CopyBodyTo(Span<byte> destination) => Body.CopyTo(destination);
}
