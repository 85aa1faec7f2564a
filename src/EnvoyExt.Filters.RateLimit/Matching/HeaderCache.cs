using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace EnvoyExt.Filters.RateLimit.Matching;

/// <summary>
/// The first value of each header that several conditions of a policy read, fetched from the request once per
/// request. A header read is a call into Envoy, so a policy whose rules all look at <c>x-user</c> pays for one
/// read, not one per rule. Lives on the stack for one decision; the policy compiler hands out the slots
/// (<see cref="Slots"/> at most) to shared names only, so headers read once skip the cache entirely.
/// </summary>
internal ref struct HeaderCache : IHeaderReader
{
    public const int Slots = 4;

    private ReadOnlySpan<byte> _value0;
    private ReadOnlySpan<byte> _value1;
    private ReadOnlySpan<byte> _value2;
    private ReadOnlySpan<byte> _value3;

    // Two bits per slot: read yet, and found.
    private int _read;
    private int _found;

    /// <summary>
    /// The <paramref name="index"/>-th value of the header. <paramref name="slot"/> is the name's cache slot, or
    /// -1 for a name only one condition reads; only first values are cached (repeated headers are rare).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryGet<TRequest>(in TRequest request, int slot, ReadOnlySpan<byte> lowerCaseName, int index, out ReadOnlySpan<byte> value)
        where TRequest : IRequestView, allows ref struct
    {
        if (slot < 0 || index != 0)
        {
            return request.TryGetHeader(lowerCaseName, index, out value);
        }
        if ((_read & (1 << slot)) == 0)
        {
            return ReadAndStore(in request, slot, lowerCaseName, out value);
        }
        value = Load(slot);
        return (_found & (1 << slot)) != 0;
    }

    private bool ReadAndStore<TRequest>(in TRequest request, int slot, ReadOnlySpan<byte> lowerCaseName, out ReadOnlySpan<byte> value)
        where TRequest : IRequestView, allows ref struct
    {
        bool found = request.TryGetHeader(lowerCaseName, 0, out value);
        _read |= 1 << slot;
        _found |= found ? 1 << slot : 0;
        // The compiler cannot see that the value outlives this call: the request's views stay valid for the
        // whole decision, and the cache is a local of that decision.
        Store(slot, MemoryMarshal.CreateReadOnlySpan(ref MemoryMarshal.GetReference(value), value.Length));
        return found;
    }

    private void Store(int slot, ReadOnlySpan<byte> value)
    {
        switch (slot)
        {
            case 0: _value0 = value; break;
            case 1: _value1 = value; break;
            case 2: _value2 = value; break;
            default: _value3 = value; break;
        }
    }

    private readonly ReadOnlySpan<byte> Load(int slot) => slot switch
    {
        0 => _value0,
        1 => _value1,
        2 => _value2,
        _ => _value3,
    };
}
