namespace EnvoyExt.DynamicModules.Sdk;

/// <summary>
/// A parsed form of a generic secret, kept per worker and rebuilt only when the secret's bytes
/// change. Envoy gives no rotation signal to a module, so each read compares the current bytes with
/// the ones the parsed form came from (a vectorised compare, no allocation); a rotation costs one
/// parse on each worker that sees it.
/// </summary>
/// <typeparam name="T">The parsed form (an API-key table, htpasswd entries, an HMAC key, a password).</typeparam>
public sealed class SecretView<T> where T : class
{
    private readonly SecretId _secret;
    private readonly Func<ReadOnlySpan<byte>, T?> _parse;
    private readonly Slot?[] _slots;

    /// <param name="secret">The subscription.</param>
    /// <param name="parse">Parses the bytes (cold path); null means the value is unusable, and readers fail closed.</param>
    /// <param name="maxWorkers">Workers with a higher index parse on every read (correct, just slower).</param>
    public SecretView(SecretId secret, Func<ReadOnlySpan<byte>, T?> parse, int maxWorkers = StreamPool.DefaultMaxWorkers)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxWorkers);
        _secret = secret;
        _parse = parse;
        _slots = new Slot?[maxWorkers];
    }

    /// <summary>The secret's name (never its value).</summary>
    public string Name => _secret.Name;

    /// <summary>The parsed current value for this stream's worker.</summary>
    /// <param name="context">The stream asking.</param>
    /// <returns>The parsed value, or null when Envoy has none or it did not parse (fail closed).</returns>
    public T? Get(in HttpFilterContext context)
    {
        if (!context.TryGetSecret(_secret, out var bytes))
        {
            return null;
        }
        var worker = context.WorkerIndex;
        if (worker >= (uint)_slots.Length)
        {
            return _parse(bytes);
        }
        var slot = _slots[worker];
        if (slot is not null && bytes.SequenceEqual(slot.Bytes))
        {
            return slot.Parsed;
        }
        // Only this worker writes its slot, so a plain store is enough.
        slot = new Slot(bytes.ToArray(), _parse(bytes));
        _slots[worker] = slot;
        return slot.Parsed;
    }

    private sealed record Slot(byte[] Bytes, T? Parsed);
}
