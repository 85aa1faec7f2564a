using EnvoyExt.DynamicModules.Abi;

namespace EnvoyExt.DynamicModules.Sdk;

/// <summary>
/// A view of a request or response body: "received" is the frame being delivered (body hooks only),
/// "buffered" is what Envoy holds so far. Slices are zero-copy views that die with the hook or with any
/// append/drain on the same body.
/// </summary>
public readonly unsafe ref struct Body
{
    private readonly nint _envoy;
    private readonly int _type;

    internal Body(nint envoy, HttpBodyType type)
    {
        _envoy = envoy;
        _type = (int)type;
    }

    /// <summary>Total bytes.</summary>
    public long Length
    {
        get
        {
            if (EnvoyCallbacks.HttpGetBodySize != null)
            {
                return (long)EnvoyCallbacks.HttpGetBodySize(_envoy, _type);
            }
            long total = 0;
            foreach (var chunk in this)
            {
                total += chunk.Length;
            }
            return total;
        }
    }

    /// <summary>Number of slices.</summary>
    public int ChunkCount => (int)EnvoyCallbacks.HttpGetBodyChunksSize(_envoy, _type);

    /// <summary>Copies up to destination.Length bytes from the start.</summary>
    /// <param name="destination">Where the bytes go.</param>
    /// <returns>How many bytes were copied.</returns>
    public int CopyTo(Span<byte> destination)
    {
        var copied = 0;
        foreach (var chunk in this)
        {
            var n = Math.Min(chunk.Length, destination.Length - copied);
            chunk[..n].CopyTo(destination[copied..]);
            copied += n;
            if (copied == destination.Length)
            {
                break;
            }
        }
        return copied;
    }

    /// <summary>Appends bytes at the end (Envoy copies them).</summary>
    /// <param name="data">The bytes.</param>
    /// <returns>False when Envoy refuses (e.g. no such body now).</returns>
    public bool Append(ReadOnlySpan<byte> data)
    {
        fixed (byte* p = data)
        {
            byte empty = 0;
            var ptr = p == null ? &empty : p;
            return EnvoyCallbacks.HttpAppendBody(_envoy, _type, new ModuleBuffer(ptr, data.Length)) != 0;
        }
    }

    /// <summary>Removes <paramref name="count"/> bytes from the front.</summary>
    /// <param name="count">How many bytes.</param>
    /// <returns>False when Envoy refuses.</returns>
    public bool Drain(long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return EnvoyCallbacks.HttpDrainBody(_envoy, _type, (nuint)count) != 0;
    }

    /// <summary>Replaces the whole body (drain everything, then append).</summary>
    /// <param name="data">The new body.</param>
    /// <returns>False when Envoy refuses either step.</returns>
    public bool Replace(ReadOnlySpan<byte> data) => Drain(Length) && Append(data);

    /// <summary>Enumerates the slices in order (one enumeration per worker at a time).</summary>
    /// <returns>The enumerator.</returns>
    public Enumerator GetEnumerator()
    {
        var count = ChunkCount;
        if (count == 0)
        {
            return default;
        }
        var scratch = ScratchBuffers.Chunks(count);
        fixed (EnvoyBuffer* p = scratch)
        {
            if (EnvoyCallbacks.HttpGetBodyChunks(_envoy, _type, p) == 0)
            {
                return default;
            }
        }
        return new Enumerator(scratch, count);
    }

    /// <summary>Walks the body's slices in order.</summary>
    public ref struct Enumerator
    {
        private readonly EnvoyBuffer[]? _chunks;
        private readonly int _count;
        private int _index;

        internal Enumerator(EnvoyBuffer[] chunks, int count)
        {
            _chunks = chunks;
            _count = count;
            _index = -1;
        }

        /// <summary>Advances to the next slice.</summary>
        /// <returns>False after the last one.</returns>
        public bool MoveNext() => _chunks is not null && ++_index < _count;

        /// <summary>The current slice.</summary>
        public readonly ReadOnlySpan<byte> Current => _chunks![_index].AsSpan();
    }
}
