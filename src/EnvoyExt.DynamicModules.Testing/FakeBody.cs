using System.Runtime.InteropServices;
using System.Text;

namespace EnvoyExt.DynamicModules.Testing;

/// <summary>
/// A fake stream's body as Envoy holds it: a list of slices, appended at the end and drained from the
/// front. The slices are pinned while a filter reads them.
/// </summary>
public sealed class FakeBody
{
    private readonly List<byte[]> _chunks = [];
    private GCHandle[] _pins = [];

    /// <summary>The whole body as UTF-8 text.</summary>
    public string Text => string.Concat(_chunks.Select(c => Encoding.UTF8.GetString(c)));

    /// <summary>Number of slices.</summary>
    public int ChunkCount => _chunks.Count;

    /// <summary>Appends a slice.</summary>
    /// <param name="text">UTF-8 text of the slice.</param>
    /// <returns>This body, for chaining.</returns>
    public FakeBody Append(string text)
    {
        Append(Encoding.UTF8.GetBytes(text));
        return this;
    }

    /// <summary>Removes every slice.</summary>
    public void Clear()
    {
        Unpin();
        _chunks.Clear();
    }

    internal void Append(ReadOnlySpan<byte> data) => _chunks.Add(data.ToArray());

    internal int Count => _chunks.Count;

    internal long Length => _chunks.Sum(c => (long)c.Length);

    /// <summary>Pins every slice until the next call or <see cref="Unpin"/>, and returns their addresses.</summary>
    internal (nint Ptr, int Length)[] Pin()
    {
        Unpin();
        _pins = [.. _chunks.Select(c => GCHandle.Alloc(c, GCHandleType.Pinned))];
        return [.. _pins.Select((p, i) => (p.AddrOfPinnedObject(), _chunks[i].Length))];
    }

    internal void Drain(long count)
    {
        var left = count;
        while (left > 0 && _chunks.Count > 0)
        {
            if (_chunks[0].Length <= left)
            {
                left -= _chunks[0].Length;
                _chunks.RemoveAt(0);
            }
            else
            {
                _chunks[0] = _chunks[0][(int)left..];
                left = 0;
            }
        }
    }

    internal void Unpin()
    {
        foreach (var pin in _pins)
        {
            pin.Free();
        }
        _pins = [];
    }
}
