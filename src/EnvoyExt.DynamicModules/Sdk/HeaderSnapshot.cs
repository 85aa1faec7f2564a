using EnvoyExt.DynamicModules.Abi;

namespace EnvoyExt.DynamicModules.Sdk;

/// <summary>
/// Every entry of a header map, read from Envoy in one call (<see cref="HeaderMap.Snapshot"/>), then looked up by
/// name in the module. A filter that asks for several headers per request pays one crossing instead of one per
/// name. The views die with the hook, like <see cref="HeaderMap"/>'s; one snapshot per worker at a time (it
/// shares the enumerator's per-thread array).
/// </summary>
public readonly ref struct HeaderSnapshot
{
    private readonly ReadOnlySpan<EnvoyHttpHeader> _entries;

    internal HeaderSnapshot(ReadOnlySpan<EnvoyHttpHeader> entries) => _entries = entries;

    /// <summary>How many entries the map held (repeated names counted separately).</summary>
    public int Count => _entries.Length;

    /// <summary>The first value of <paramref name="key"/>.</summary>
    /// <param name="key">Lower-case header name (Envoy's keys are lower-case).</param>
    /// <param name="value">The value, or empty when absent.</param>
    /// <returns>False when absent.</returns>
    public unsafe bool TryGet(ReadOnlySpan<byte> key, out ReadOnlySpan<byte> value)
    {
        var entries = _entries;
        nuint length = (nuint)key.Length;
        for (int i = 0; i < entries.Length; i++)
        {
            // Lengths first: most names differ in length, so most entries cost one compare.
            ref readonly var entry = ref entries[i];
            if (entry.KeyLength == length && new ReadOnlySpan<byte>(entry.KeyPtr, key.Length).SequenceEqual(key))
            {
                value = entry.Value;
                return true;
            }
        }
        value = default;
        return false;
    }
}
