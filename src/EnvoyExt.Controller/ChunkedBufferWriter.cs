using System.Buffers;

namespace EnvoyExt.Controller;

/// <summary>
/// A write buffer of fixed-size chunks, copied once into an exact-size array at the end. For
/// large documents written once and kept (the /status text, ~6 MiB at 10,000 routes): a growing
/// single array (ArrayBufferWriter) leaves every outgrown copy on the large-object heap until the
/// next full collection, ~25 MiB of garbage at 10,000 routes, which landed on the peak of a change.
/// Chunks stay under the large-object threshold, so they die young.
/// </summary>
internal sealed class ChunkedBufferWriter : IBufferWriter<byte>
{
    // Below the 85,000-byte large-object threshold.
    private const int ChunkSize = 64 * 1024;

    private readonly List<(byte[] Chunk, int Used)> _full = [];
    private byte[] _current = new byte[ChunkSize];
    private int _used;
    private long _fullLength;

    public void Advance(int count)
    {
        if (count < 0 || _used + count > _current.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(count), "advanced past the buffer handed out");
        }
        _used += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _current.AsMemory(_used);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _current.AsSpan(_used);
    }

    /// <summary>Everything written, in one array of exactly that length.</summary>
    public byte[] ToArray()
    {
        var result = new byte[checked((int)(_fullLength + _used))];
        var offset = 0;
        foreach (var (chunk, used) in _full)
        {
            chunk.AsSpan(0, used).CopyTo(result.AsSpan(offset));
            offset += used;
        }
        _current.AsSpan(0, _used).CopyTo(result.AsSpan(offset));
        return result;
    }

    private void Ensure(int sizeHint)
    {
        var needed = Math.Max(sizeHint, 1);
        if (_current.Length - _used >= needed)
        {
            return;
        }
        _full.Add((_current, _used));
        _fullLength += _used;
        _current = new byte[Math.Max(ChunkSize, needed)];
        _used = 0;
    }
}
