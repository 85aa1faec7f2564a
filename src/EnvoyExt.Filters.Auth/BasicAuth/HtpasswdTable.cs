using System.Security.Cryptography;
using System.Text;

namespace EnvoyExt.Filters.Auth.BasicAuth;

/// <summary>
/// The htpasswd entries of a secret (<c>user:{SHA}base64</c> or <c>user:$2y$...</c> bcrypt). One instance
/// exists per worker (SecretView parses per worker), so its cache of verified bcrypt credentials needs no
/// lock and starts empty when the secret rotates.
/// </summary>
internal sealed class HtpasswdTable
{
    public const int MaxEntries = 10000;

    private readonly Dictionary<string, Entry> _users;
    private readonly Dictionary<string, Entry>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly VerifiedCache<Entry> _verified;

    private HtpasswdTable(Dictionary<string, Entry> users, int cacheSize)
    {
        _users = users;
        _lookup = users.GetAlternateLookup<ReadOnlySpan<char>>();
        _verified = new VerifiedCache<Entry>(cacheSize);
    }

    public int Count => _users.Count;

    /// <summary>bcrypt checks this worker's table has run (the cache's effect, for tests).</summary>
    public int BcryptChecks { get; private set; }

    /// <summary>Parses the secret; null with a reason (line number, never a value) when unusable.</summary>
    public static HtpasswdTable? Parse(ReadOnlySpan<byte> secret, int cacheSize, out string? error)
    {
        var users = new Dictionary<string, Entry>(StringComparer.Ordinal);
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
            if (colon <= 0)
            {
                error = $"line {lineNumber}: expected user:hash";
                return null;
            }
            var user = Encoding.UTF8.GetString(line[..colon]);
            var hash = line[(colon + 1)..];
            Entry entry;
            if (hash.StartsWith("{SHA}"u8))
            {
                var sha = new byte[SHA1.HashSizeInBytes];
                if (!Convert.TryFromBase64String(Encoding.ASCII.GetString(hash[5..]), sha, out var written) || written != sha.Length)
                {
                    error = $"line {lineNumber}: {{SHA}} needs the base64 of a 20-byte SHA-1 digest";
                    return null;
                }
                entry = new Entry(Encoding.UTF8.GetBytes(user), sha, null);
            }
            else if (IsBcrypt(hash))
            {
                entry = new Entry(Encoding.UTF8.GetBytes(user), null, Encoding.ASCII.GetString(hash));
            }
            else
            {
                error = $"line {lineNumber}: unsupported hash (supported: {{SHA}}, bcrypt $2a$/$2b$/$2y$)";
                return null;
            }
            if (!users.TryAdd(user, entry))
            {
                error = $"line {lineNumber}: the user appears twice";
                return null;
            }
            if (users.Count > MaxEntries)
            {
                error = $"more than {MaxEntries} users";
                return null;
            }
        }
        if (users.Count == 0)
        {
            error = "no users";
            return null;
        }
        error = null;
        return new HtpasswdTable(users, cacheSize);
    }

    /// <summary>
    /// The entry of <c>user:password</c> when the password is right, or null. {SHA} costs one SHA-1; bcrypt
    /// runs once per credential per worker and is then a cache hit (SHA-256 of the credential).
    /// </summary>
    public Entry? Verify(ReadOnlySpan<byte> userUtf8, ReadOnlySpan<byte> password, ReadOnlySpan<byte> credential)
    {
        Span<char> userChars = stackalloc char[userUtf8.Length];
        if (!Encoding.UTF8.TryGetChars(userUtf8, userChars, out var charCount) ||
            !_lookup.TryGetValue(userChars[..charCount], out var entry))
        {
            return null;
        }
        if (entry.Sha1 is { } sha1)
        {
            Span<byte> digest = stackalloc byte[SHA1.HashSizeInBytes];
#pragma warning disable CA5350 // htpasswd's {SHA} scheme is SHA-1 by definition; bcrypt is the recommended entry type.
            SHA1.HashData(password, digest);
#pragma warning restore CA5350
            return CryptographicOperations.FixedTimeEquals(digest, sha1) ? entry : null;
        }
        Span<byte> key = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(credential, key);
        if (_verified.TryGet(key, out var cached))
        {
            return cached;
        }
        // First sight of this credential on this worker: the deliberately slow bcrypt check (allocates).
        BcryptChecks++;
        if (!BCrypt.Net.BCrypt.Verify(Encoding.UTF8.GetString(password), entry.Bcrypt))
        {
            return null;
        }
        _verified.Add(key, entry);
        return entry;
    }

    public override string ToString() => $"{Count} htpasswd user(s)";

    private static bool IsBcrypt(ReadOnlySpan<byte> hash) =>
        hash.Length == 60 && hash[0] == (byte)'$' && hash[1] == (byte)'2' && hash[2] is (byte)'a' or (byte)'b' or (byte)'y' &&
        hash[3] == (byte)'$' && char.IsAsciiDigit((char)hash[4]) && char.IsAsciiDigit((char)hash[5]) && hash[6] == (byte)'$' &&
        (hash[4] - '0') * 10 + (hash[5] - '0') is >= 4 and <= 31;

    internal sealed record Entry(byte[] User, byte[]? Sha1, string? Bcrypt);
}
