using EnvoyExt.DynamicModules.Abi;

namespace EnvoyExt.DynamicModules.Sdk;

/// <summary>Headers or trailers Envoy delivered from a callout; the view dies when the hook returns.</summary>
public readonly unsafe ref struct CalloutHeaders
{
    private readonly EnvoyHttpHeader* _headers;

    internal CalloutHeaders(EnvoyHttpHeader* headers, nuint count)
    {
        _headers = headers;
        Count = headers == null ? 0 : checked((int)count);
    }

    /// <summary>Number of entries (repeated names counted separately).</summary>
    public int Count { get; }

    /// <summary>Entry <paramref name="index"/>.</summary>
    /// <param name="index">0 to <see cref="Count"/> - 1.</param>
    public HeaderPair this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            return new HeaderPair(_headers[index].Key, _headers[index].Value);
        }
    }

    /// <summary>The first value of <paramref name="key"/> (e.g. <c>:status</c>, <c>grpc-status</c>).</summary>
    /// <param name="key">Lower-case header name.</param>
    /// <param name="value">The value, or empty when absent.</param>
    /// <returns>False when absent.</returns>
    public bool TryGet(ReadOnlySpan<byte> key, out ReadOnlySpan<byte> value)
    {
        for (var i = 0; i < Count; i++)
        {
            if (_headers[i].Key.SequenceEqual(key))
            {
                value = _headers[i].Value;
                return true;
            }
        }
        value = default;
        return false;
    }
}

/// <summary>Body bytes Envoy delivered from a callout, as slices; the view dies when the hook returns.</summary>
public readonly unsafe ref struct CalloutBody
{
    private readonly EnvoyBuffer* _chunks;

    internal CalloutBody(EnvoyBuffer* chunks, nuint count)
    {
        _chunks = chunks;
        ChunkCount = chunks == null ? 0 : checked((int)count);
    }

    /// <summary>Number of slices.</summary>
    public int ChunkCount { get; }

    /// <summary>Slice <paramref name="index"/>.</summary>
    /// <param name="index">0 to <see cref="ChunkCount"/> - 1.</param>
    /// <returns>The slice's bytes.</returns>
    public ReadOnlySpan<byte> Chunk(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, ChunkCount);
        return _chunks[index].AsSpan();
    }

    /// <summary>Total bytes over every slice.</summary>
    public long Length
    {
        get
        {
            long total = 0;
            for (var i = 0; i < ChunkCount; i++)
            {
                total += (long)_chunks[i].Length;
            }
            return total;
        }
    }

    /// <summary>Copies up to <c>destination.Length</c> bytes.</summary>
    /// <param name="destination">Where the bytes go.</param>
    /// <returns>How many bytes were copied.</returns>
    public int CopyTo(Span<byte> destination)
    {
        var copied = 0;
        for (var i = 0; i < ChunkCount && copied < destination.Length; i++)
        {
            var chunk = _chunks[i].AsSpan();
            var n = Math.Min(chunk.Length, destination.Length - copied);
            chunk[..n].CopyTo(destination[copied..]);
            copied += n;
        }
        return copied;
    }
}
