using System.Runtime.InteropServices;
using System.Text;

namespace EnvoyExt.DynamicModules.Testing;

/// <summary>
/// One of a fake stream's header maps with Envoy's semantics: ordered, repeated names kept, set
/// replaces every value, a removed name disappears. Bytes live in native memory, so the views the SDK
/// hands to a filter stay put as Envoy's do (until the stream is disposed).
/// </summary>
public sealed unsafe class FakeHeaderMap
{
    private readonly List<(nint Key, int KeyLength, nint Value, int ValueLength)> _entries = [];
    private readonly List<nint> _allocations = [];

    /// <summary>Entries in order, decoded as UTF-8.</summary>
    public IReadOnlyList<(string Name, string Value)> Entries =>
        [.. _entries.Select(e => (Text(e.Key, e.KeyLength), Text(e.Value, e.ValueLength)))];

    /// <summary>Number of entries (repeated names counted separately).</summary>
    public int Count => _entries.Count;

    /// <summary>The first value of <paramref name="name"/>, or null.</summary>
    /// <param name="name">Lower-case header name.</param>
    /// <returns>The value or null.</returns>
    public string? Get(string name) => Entries.Where(e => e.Name == name).Select(e => e.Value).FirstOrDefault();

    /// <summary>Every value of <paramref name="name"/>, in order.</summary>
    /// <param name="name">Lower-case header name.</param>
    /// <returns>The values.</returns>
    public IReadOnlyList<string> GetAll(string name) => [.. Entries.Where(e => e.Name == name).Select(e => e.Value)];

    /// <summary>Appends a value.</summary>
    /// <param name="name">Lower-case header name.</param>
    /// <param name="value">The value.</param>
    /// <returns>This map, for chaining.</returns>
    public FakeHeaderMap Add(string name, string value)
    {
        Add(Encoding.UTF8.GetBytes(name), Encoding.UTF8.GetBytes(value));
        return this;
    }

    /// <summary>Replaces every value of <paramref name="name"/>.</summary>
    /// <param name="name">Lower-case header name.</param>
    /// <param name="value">The value.</param>
    /// <returns>This map, for chaining.</returns>
    public FakeHeaderMap Set(string name, string value)
    {
        var key = Encoding.UTF8.GetBytes(name);
        Remove(key);
        Add(key, Encoding.UTF8.GetBytes(value));
        return this;
    }

    /// <summary>Removes every entry.</summary>
    public void Clear() => _entries.Clear();

    internal void Add(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value) =>
        _entries.Add((Copy(key), key.Length, Copy(value), value.Length));

    internal void Remove(ReadOnlySpan<byte> key)
    {
        for (var i = _entries.Count - 1; i >= 0; i--)
        {
            if (KeyAt(i).SequenceEqual(key))
            {
                _entries.RemoveAt(i);
            }
        }
    }

    internal int Size => _entries.Count;

    internal ReadOnlySpan<byte> KeyAt(int index) => new((void*)_entries[index].Key, _entries[index].KeyLength);

    internal (nint Ptr, int Length) ValueAt(int index) => (_entries[index].Value, _entries[index].ValueLength);

    internal (nint Ptr, int Length) KeyPointerAt(int index) => (_entries[index].Key, _entries[index].KeyLength);

    internal void Free()
    {
        foreach (var p in _allocations)
        {
            NativeMemory.Free((void*)p);
        }
        _allocations.Clear();
        _entries.Clear();
    }

    private nint Copy(ReadOnlySpan<byte> source)
    {
        var p = (nint)NativeMemory.Alloc((nuint)Math.Max(source.Length, 1));
        source.CopyTo(new Span<byte>((void*)p, source.Length));
        _allocations.Add(p);
        return p;
    }

    private static string Text(nint p, int length) => Encoding.UTF8.GetString((byte*)p, length);
}
