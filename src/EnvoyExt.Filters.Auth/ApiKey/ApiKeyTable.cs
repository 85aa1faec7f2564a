using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace EnvoyExt.Filters.Auth.ApiKey;

/// <summary>
/// The API keys of a secret (<c>client-id:key</c> per line, '#' comments), held as SHA-256 digests. A lookup
/// hashes the presented key, finds candidates by the digest's first 8 bytes and confirms with a
/// constant-time compare of the whole digest, so timing says nothing about a stored key's bytes.
/// </summary>
internal sealed class ApiKeyTable
{
    public const int MaxEntries = 10000;

    private readonly Dictionary<ulong, Entry[]> _byDigestPrefix;

    private ApiKeyTable(Dictionary<ulong, Entry[]> byDigestPrefix, int count)
    {
        _byDigestPrefix = byDigestPrefix;
        Count = count;
    }

    public int Count { get; }

    /// <summary>Parses the secret; null with a reason (line number, never a value) when unusable.</summary>
    public static ApiKeyTable? Parse(ReadOnlySpan<byte> secret, out string? error)
    {
        var map = new Dictionary<ulong, Entry[]>();
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
            var digest = SHA256.HashData(line[(colon + 1)..]);
            var prefix = BinaryPrimitives.ReadUInt64LittleEndian(digest);
            var entry = new Entry(digest, clientId.ToArray());
            if (map.TryGetValue(prefix, out var existing))
            {
                if (existing.Any(e => e.Digest.AsSpan().SequenceEqual(digest)))
                {
                    error = $"line {lineNumber}: the same key appears twice";
                    return null;
                }
                map[prefix] = [.. existing, entry];
            }
            else
            {
                map[prefix] = [entry];
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
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(presentedKey, digest);
        if (!_byDigestPrefix.TryGetValue(BinaryPrimitives.ReadUInt64LittleEndian(digest), out var candidates))
        {
            return null;
        }
        byte[]? found = null;
        foreach (var candidate in candidates)
        {
            if (CryptographicOperations.FixedTimeEquals(candidate.Digest, digest))
            {
                found = candidate.ClientId;
            }
        }
        return found;
    }

    public override string ToString() => $"{Count} API key(s)";

    private sealed record Entry(byte[] Digest, byte[] ClientId);
}
