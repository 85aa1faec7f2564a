using EnvoyExt.DynamicModules.Abi;

namespace EnvoyExt.DynamicModules.Sdk;

/// <summary>The response of an HTTP callout; every view dies when OnHttpCalloutDone returns.</summary>
public readonly unsafe ref struct CalloutResponse
{
    private readonly EnvoyHttpHeader* _headers;
    private readonly int _headerCount;
    private readonly EnvoyBuffer* _chunks;
    private readonly int _chunkCount;

    internal CalloutResponse(EnvoyHttpHeader* headers, nuint headerCount, EnvoyBuffer* chunks, nuint chunkCount)
    {
        _headers = headers;
        _headerCount = headers == null ? 0 : (int)headerCount;
        _chunks = chunks;
        _chunkCount = chunks == null ? 0 : (int)chunkCount;
    }

    public int HeaderCount => _headerCount;

    public HeaderPair Header(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, _headerCount);
        return new HeaderPair(_headers[index].Key, _headers[index].Value);
    }

    /// <summary>First value of <paramref name="key"/> (e.g. ":status").</summary>
    public bool TryGetHeader(ReadOnlySpan<byte> key, out ReadOnlySpan<byte> value)
    {
        for (var i = 0; i < _headerCount; i++)
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

    public int BodyChunkCount => _chunkCount;

    public ReadOnlySpan<byte> BodyChunk(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, _chunkCount);
        return _chunks[index].AsSpan();
    }

    public long BodyLength
    {
        get
        {
            long total = 0;
            for (var i = 0; i < _chunkCount; i++)
            {
                total += (long)_chunks[i].Length;
            }
            return total;
        }
    }

    /// <summary>Copies up to destination.Length body bytes; returns how many were copied.</summary>
    public int CopyBodyTo(Span<byte> destination)
    {
        var copied = 0;
        for (var i = 0; i < _chunkCount && copied < destination.Length; i++)
        {
            var chunk = _chunks[i].AsSpan();
            var n = Math.Min(chunk.Length, destination.Length - copied);
            chunk[..n].CopyTo(destination[copied..]);
            copied += n;
        }
        return copied;
    }
}
