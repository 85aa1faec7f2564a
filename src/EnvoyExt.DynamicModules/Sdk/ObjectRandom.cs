using System.Runtime.CompilerServices;

namespace EnvoyExt.DynamicModules.Sdk;

/// <summary>
/// A pseudo-random generator owned by one pooled filter object (xorshift64*): a draw is a few arithmetic
/// instructions, allocates nothing and shares nothing between workers, unlike <see cref="Random.Shared"/>.
/// For sampling and fractional shares, not for secrets. Keep it in a field and pass it by reference.
/// </summary>
public struct ObjectRandom
{
    private ulong _state;

    /// <summary>A generator starting from <paramref name="seed"/> (any value; the state is never zero).</summary>
    /// <param name="seed">The starting state, e.g. from <see cref="SeedSequence"/>.</param>
    public ObjectRandom(ulong seed) => _state = seed | 1;

    /// <summary>The next draw, uniform over all 32-bit values.</summary>
    /// <returns>The draw.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint NextUInt32()
    {
        ulong x = _state;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        _state = x;
        return (uint)((x * 0x2545F4914F6CDD1DUL) >> 32);
    }
}

/// <summary>
/// Seeds for the generators of a config's filter objects: distinct per object, and with a fixed basis the
/// n-th object always gets the same seed (repeatable tests). Thread-safe (objects are created on any worker).
/// </summary>
/// <param name="basis">The sequence's basis; null for a random one.</param>
public sealed class SeedSequence(ulong? basis = null)
{
    private readonly ulong _basis = basis ?? (ulong)Random.Shared.NextInt64();
    private long _issued;

    /// <summary>The next object's generator.</summary>
    /// <returns>A generator seeded from the basis and the object's number (splitmix64).</returns>
    public ObjectRandom Next()
    {
        ulong z = _basis + (0x9E3779B97F4A7C15UL * (ulong)Interlocked.Increment(ref _issued));
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return new ObjectRandom(z ^ (z >> 31));
    }
}
