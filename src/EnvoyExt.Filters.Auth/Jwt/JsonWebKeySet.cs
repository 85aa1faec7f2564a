using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using EnvoyExt.Filters.Auth.Config;

namespace EnvoyExt.Filters.Auth.Jwt;

/// <summary>
/// The usable keys of one JWKS, for one worker (the BCL's key objects are not documented as thread-safe,
/// so each worker imports its own). It also owns that worker's cache of verified tokens: a new key set
/// (rotation) starts with an empty cache, so no token stays trusted on a key that left the set.
/// </summary>
internal sealed class JsonWebKeySet : IDisposable
{
    private JsonWebKeySet(JsonWebKey[] keys, int cacheSize)
    {
        Keys = keys;
        Verified = new VerifiedCache<VerifiedToken>(cacheSize);
    }

    public JsonWebKey[] Keys { get; }

    public VerifiedCache<VerifiedToken> Verified { get; }

    /// <summary>Parses a JWKS; keys with an unknown kty/crv or <c>use: enc</c> are skipped.</summary>
    /// <param name="json">The document.</param>
    /// <param name="allowSymmetric">False for inline and fetched documents: HMAC keys only come from secrets.</param>
    /// <param name="cacheSize">Verified tokens to remember.</param>
    /// <param name="error">Why the document is unusable (never a key's bytes).</param>
    public static JsonWebKeySet? Parse(ReadOnlySpan<byte> json, bool allowSymmetric, int cacheSize, out string? error)
    {
        if (json.Length > AuthFilterContract.MaxJwksBytes)
        {
            error = $"JWKS larger than {AuthFilterContract.MaxJwksBytes} bytes";
            return null;
        }
        var keys = new List<JsonWebKey>();
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 8 });
            using var document = JsonDocument.ParseValue(ref reader);
            if (document.RootElement.ValueKind != JsonValueKind.Object ||
                !document.RootElement.TryGetProperty("keys", out var array) || array.ValueKind != JsonValueKind.Array)
            {
                error = "JWKS: needs a \"keys\" array";
                return null;
            }
            var index = 0;
            foreach (var element in array.EnumerateArray())
            {
                if (keys.Count >= AuthFilterContract.MaxJwksKeys)
                {
                    error = $"JWKS: more than {AuthFilterContract.MaxJwksKeys} keys";
                    return null;
                }
                var key = JsonWebKey.TryCreate(element, allowSymmetric, out error);
                if (error is not null)
                {
                    error = $"JWKS keys[{index}]: {error}";
                    return null;
                }
                if (key is not null)
                {
                    keys.Add(key);
                }
                index++;
            }
        }
        catch (JsonException)
        {
            error = "JWKS: not valid JSON";
            return null;
        }
        if (keys.Count == 0)
        {
            error = "JWKS: no usable key";
            return null;
        }
        error = null;
        return new JsonWebKeySet([.. keys], cacheSize);
    }

    public void Dispose()
    {
        foreach (var key in Keys)
        {
            key.Dispose();
        }
    }
}

/// <summary>One verification key: an RSA or EC public key, or an HMAC secret.</summary>
internal sealed class JsonWebKey : IDisposable
{
    private readonly RSA? _rsa;
    private readonly ECDsa? _ecdsa;
    private readonly byte[]? _secret;

    private JsonWebKey(string? kid, JwtAlgorithm algorithm, KeyType type, RSA? rsa, ECDsa? ecdsa, byte[]? secret)
    {
        Kid = kid;
        Algorithm = algorithm;
        Type = type;
        _rsa = rsa;
        _ecdsa = ecdsa;
        _secret = secret;
    }

    public string? Kid { get; }

    /// <summary>The key's own <c>alg</c>, or None when it does not pin one.</summary>
    public JwtAlgorithm Algorithm { get; }

    public KeyType Type { get; }

    /// <summary>Null (and no error) for a key this filter does not use; an error for a malformed one.</summary>
    public static JsonWebKey? TryCreate(JsonElement element, bool allowSymmetric, out string? error)
    {
        error = null;
        if (element.ValueKind != JsonValueKind.Object)
        {
            error = "must be an object";
            return null;
        }
        var kty = Text(element, "kty");
        var kid = Text(element, "kid");
        var use = Text(element, "use");
        var algName = Text(element, "alg");
        if (use is not null and not "sig")
        {
            return null;
        }
        var algorithm = JwtAlgorithms.Parse(algName);
        if (algName is not null && algorithm == JwtAlgorithm.None)
        {
            return null;
        }
        switch (kty)
        {
            case "RSA":
                var n = Bytes(element, "n");
                var e = Bytes(element, "e");
                if (n is null || e is null || n.Length < 256)
                {
                    error = "RSA key needs n (at least 2048 bits) and e";
                    return null;
                }
                var rsa = RSA.Create();
                rsa.ImportParameters(new RSAParameters { Modulus = n, Exponent = e });
                return Pinned(kid, algorithm, KeyType.Rsa, rsa, null, null, out error);
            case "EC":
                var crv = Text(element, "crv");
                var type = crv switch { "P-256" => KeyType.EcP256, "P-384" => KeyType.EcP384, _ => KeyType.None };
                if (type == KeyType.None)
                {
                    return null;
                }
                var x = Bytes(element, "x");
                var y = Bytes(element, "y");
                var size = type == KeyType.EcP256 ? 32 : 48;
                if (x is null || y is null || x.Length != size || y.Length != size)
                {
                    error = $"EC {crv} key needs x and y of {size} bytes";
                    return null;
                }
                var ecdsa = ECDsa.Create(new ECParameters
                {
                    Curve = type == KeyType.EcP256 ? ECCurve.NamedCurves.nistP256 : ECCurve.NamedCurves.nistP384,
                    Q = new ECPoint { X = x, Y = y },
                });
                return Pinned(kid, algorithm, type, null, ecdsa, null, out error);
            case "oct":
                if (!allowSymmetric)
                {
                    error = "symmetric (oct) keys are only accepted from a secret";
                    return null;
                }
                var k = Bytes(element, "k");
                if (k is null || k.Length < 32)
                {
                    error = "oct key needs k of at least 32 bytes";
                    return null;
                }
                return Pinned(kid, algorithm, KeyType.Symmetric, null, null, k, out error);
            default:
                return null;
        }
    }

    /// <summary>Verifies a JWS signature over the signing input; false for a key that does not fit the algorithm.</summary>
    public bool Verify(JwtAlgorithm algorithm, ReadOnlySpan<byte> signingInput, ReadOnlySpan<byte> signature)
    {
        if (JwtAlgorithms.KeyTypeOf(algorithm) != Type || (Algorithm != JwtAlgorithm.None && Algorithm != algorithm))
        {
            return false;
        }
        var hash = JwtAlgorithms.Hash(algorithm);
        switch (Type)
        {
            case KeyType.Rsa:
                var padding = algorithm == JwtAlgorithm.PS256 ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1;
                return _rsa!.VerifyData(signingInput, signature, hash, padding);
            case KeyType.EcP256:
            case KeyType.EcP384:
                return _ecdsa!.VerifyData(signingInput, signature, hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
            case KeyType.Symmetric:
                Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
                HMACSHA256.HashData(_secret, signingInput, mac);
                return CryptographicOperations.FixedTimeEquals(mac, signature);
            default:
                return false;
        }
    }

    public void Dispose()
    {
        _rsa?.Dispose();
        _ecdsa?.Dispose();
    }

    private static JsonWebKey? Pinned(string? kid, JwtAlgorithm algorithm, KeyType type, RSA? rsa, ECDsa? ecdsa, byte[]? secret,
                                      out string? error)
    {
        if (algorithm != JwtAlgorithm.None && JwtAlgorithms.KeyTypeOf(algorithm) != type)
        {
            rsa?.Dispose();
            ecdsa?.Dispose();
            error = $"alg {algorithm} does not fit the key type";
            return null;
        }
        error = null;
        return new JsonWebKey(kid, algorithm, type, rsa, ecdsa, secret);
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static byte[]? Bytes(JsonElement element, string name)
    {
        if (Text(element, name) is not { } text)
        {
            return null;
        }
        var bytes = System.Text.Encoding.ASCII.GetBytes(text);
        var decoded = new byte[Base64Url.GetMaxDecodedLength(bytes.Length)];
        return Base64Url.DecodeFromUtf8(bytes, decoded, out _, out var written) == System.Buffers.OperationStatus.Done
            ? decoded[..written]
            : null;
    }
}
