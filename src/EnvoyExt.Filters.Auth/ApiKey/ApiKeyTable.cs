using System.Security.Cryptography;
using System.Text;

namespace EnvoyExt.Filters.Auth.ApiKey;

/// <summary>
/// The API keys of a secret (<c>client-id:key</c> per line, '#' comments). A lookup finds candidates by the
/// process-randomised <see cref="HashCode"/> of the presented key (an attacker can neither predict nor aim
/// at a bucket) and confirms each with a constant-time compare of the whole key, so timing says nothing
/// about a stored key's bytes. No digest per request: a SHA-256 through OpenSSL would cost more than the rest.
/// </summary>
internal sealed class ApiKeyTable
{
    public const int MaxEntries = 10000;

    private readonly Dictionary<int, Entry[]> _byBucket;

    private ApiKeyTable(Dictionary<int, Entry[]> byBucket, int count)
    {
        _byBucket = byBucket;
        Count = count;
    }

    public int Count { get; }

    /// <summary>Parses the secret; null with a reason (line number, never a value) when unusable.</summary>
    public static ApiKeyTable? Parse(ReadOnlySpan<byte> secret, out string? error)
    {
        var map = new Dictionary<int, Entry[]>();
        var count = 0;
        var lineNumber = 0;
        foreach (var range in secret.Split((byte)'\n'))
        {
            lineNumber++;
            var line = secret[range].TrimEnd((byte)'\r').Trim((byte)' ');
            if (line.IsEmpty || line[0] == (byte)'#')
            {
                continue;
            }
            var colon = line.IndexOf((byte)':');
            if (colon <= 0 || colon == line.Length - 1)
            {
                error = $"line {lineNumber}: expected client-id:key";
                return null;
            }
            var clientId = line[..colon];
            if (clientId.IndexOfAnyInRange((byte)0, (byte)31) >= 0 || clientId.Contains((byte)127))
            {
                error = $"line {lineNumber}: the client id has control characters";
                return null;
            }
            if (++count > MaxEntries)
            {
                error = $"more than {MaxEntries} keys";
                return null;
            }
            var key = line[(colon + 1)..].ToArray();
            var bucket = Bucket(key);
            var entry = new Entry(key, clientId.ToArray());
            if (map.TryGetValue(bucket, out var existing))
            {
                if (existing.Any(e => e.Key.AsSpan().SequenceEqual(key)))
                {
                    error = $"line {lineNumber}: the same key appears twice";
                    return null;
                }
                map[bucket] = [.. existing, entry];
            }
            else
            {
                map[bucket] = [entry];
            }
        }
        if (count == 0)
        {
            error = "no keys";
            return null;
        }
        error = null;
        return new ApiKeyTable(map, count);
    }

    /// <summary>The client id of <paramref name="presentedKey"/>, or null. Allocation-free.</summary>
    public byte[]? Find(ReadOnlySpan<byte> presentedKey)
    {
        if (!_byBucket.TryGetValue(Bucket(presentedKey), out var candidates))
        {
            return null;
        }
        byte[]? found = null;
        foreach (var candidate in candidates)
        {
            if (CryptographicOperations.FixedTimeEquals(candidate.Key, presentedKey))
            {
                found = candidate.ClientId;
            }
        }
        return found;
    }

    public override string ToString() => $"{Count} API key(s)";

    private static int Bucket(ReadOnlySpan<byte> key)
    {
        var hash = default(HashCode);
        hash.AddBytes(key);
        return hash.ToHashCode();
    }

    private sealed record Entry(byte[] Key, byte[] ClientId);
}
