using System.Buffers;
using System.Buffers.Text;
using System.Text;
using System.Text.Json;

namespace EnvoyExt.Filters.Auth.Jwt;

/// <summary>Why a token was rejected (a metric label and a debug log line; never the token).</summary>
internal enum JwtFailure
{
    None,
    Malformed,
    Algorithm,
    UnknownKey,
    Signature,
    Expired,
    NotYetValid,
    Issuer,
    Audience,
}

/// <summary>
/// First-seen verification of a compact JWS: structure, header (alg allowed, no <c>none</c>, no
/// <c>crit</c>), a key that fits the algorithm (and the <c>kid</c> when given), the signature with the BCL,
/// then iss/aud/exp/nbf. The result is cached per worker, so this runs once per token per worker.
/// </summary>
internal sealed class JwtVerifier(JwtSettings settings)
{
    public VerifiedToken? Verify(ReadOnlySpan<byte> token, JsonWebKeySet keys, long nowSeconds, out JwtFailure failure)
    {
        var firstDot = token.IndexOf((byte)'.');
        var lastDot = token.LastIndexOf((byte)'.');
        if (firstDot <= 0 || lastDot == firstDot || token[(firstDot + 1)..lastDot].Contains((byte)'.') || lastDot == token.Length - 1)
        {
            failure = JwtFailure.Malformed;
            return null;
        }
        var signingInput = token[..lastDot];
        var header = Decode(token[..firstDot]);
        var payload = Decode(token[(firstDot + 1)..lastDot]);
        var signature = Decode(token[(lastDot + 1)..]);
        if (header is null || payload is null || signature is null)
        {
            failure = JwtFailure.Malformed;
            return null;
        }
        if (!ReadHeader(header, out var algorithm, out var kid))
        {
            failure = JwtFailure.Malformed;
            return null;
        }
        if (algorithm == JwtAlgorithm.None || !settings.Algorithms.Contains(algorithm))
        {
            failure = JwtFailure.Algorithm;
            return null;
        }
        var verified = false;
        var candidates = 0;
        foreach (var key in keys.Keys)
        {
            if ((kid is not null && key.Kid != kid) || JwtAlgorithms.KeyTypeOf(algorithm) != key.Type ||
                (key.Algorithm != JwtAlgorithm.None && key.Algorithm != algorithm))
            {
                continue;
            }
            candidates++;
            if (key.Verify(algorithm, signingInput, signature))
            {
                verified = true;
                break;
            }
        }
        if (!verified)
        {
            failure = candidates == 0 ? JwtFailure.UnknownKey : JwtFailure.Signature;
            return null;
        }
        return ReadPayload(payload, nowSeconds, out failure);
    }

    private static byte[]? Decode(ReadOnlySpan<byte> part)
    {
        var decoded = new byte[Base64Url.GetMaxDecodedLength(part.Length)];
        return Base64Url.DecodeFromUtf8(part, decoded, out var consumed, out var written) == OperationStatus.Done && consumed == part.Length
            ? decoded[..written]
            : null;
    }

    private static bool ReadHeader(byte[] header, out JwtAlgorithm algorithm, out string? kid)
    {
        algorithm = JwtAlgorithm.None;
        kid = null;
        try
        {
            using var document = JsonDocument.Parse(header, new JsonDocumentOptions { MaxDepth = 8 });
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || root.TryGetProperty("crit", out _) ||
                !root.TryGetProperty("alg", out var alg) || alg.ValueKind != JsonValueKind.String)
            {
                return false;
            }
            algorithm = JwtAlgorithms.Parse(alg.GetString());
            if (root.TryGetProperty("kid", out var kidElement))
            {
                if (kidElement.ValueKind != JsonValueKind.String)
                {
                    return false;
                }
                kid = kidElement.GetString();
            }
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private VerifiedToken? ReadPayload(byte[] payload, long nowSeconds, out JwtFailure failure)
    {
        try
        {
            using var document = JsonDocument.Parse(payload, new JsonDocumentOptions { MaxDepth = 16 });
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                failure = JwtFailure.Malformed;
                return null;
            }
            if (!TryTime(root, "exp", long.MaxValue, out var expires) || !TryTime(root, "nbf", long.MinValue, out var notBefore))
            {
                failure = JwtFailure.Malformed;
                return null;
            }
            if (settings.Issuer is { } issuer &&
                !(root.TryGetProperty("iss", out var iss) && iss.ValueKind == JsonValueKind.String && iss.ValueEquals(issuer)))
            {
                failure = JwtFailure.Issuer;
                return null;
            }
            if (settings.Audiences is { } audiences && !HasAudience(root, audiences))
            {
                failure = JwtFailure.Audience;
                return null;
            }
            var claims = new ClaimValue?[settings.ClaimNames.Length];
            for (var i = 0; i < claims.Length; i++)
            {
                if (root.TryGetProperty(settings.ClaimNames[i], out var claim))
                {
                    claims[i] = ToClaimValue(claim);
                }
            }
            var token = new VerifiedToken(notBefore, expires, claims);
            failure = token.IsCurrent(nowSeconds, settings.ClockSkewSeconds) ? JwtFailure.None
                : nowSeconds >= expires ? JwtFailure.Expired : JwtFailure.NotYetValid;
            return token;
        }
        catch (JsonException)
        {
            failure = JwtFailure.Malformed;
            return null;
        }
    }

    private static bool TryTime(JsonElement root, string name, long absent, out long seconds)
    {
        seconds = absent;
        if (!root.TryGetProperty(name, out var value))
        {
            return true;
        }
        if (value.ValueKind != JsonValueKind.Number)
        {
            return false;
        }
        if (value.TryGetInt64(out seconds))
        {
            return true;
        }
        if (value.TryGetDouble(out var fractional) && fractional is > -1e15 and < 1e15)
        {
            seconds = (long)fractional;
            return true;
        }
        return false;
    }

    private static bool HasAudience(JsonElement root, string[] audiences)
    {
        if (!root.TryGetProperty("aud", out var aud))
        {
            return false;
        }
        if (aud.ValueKind == JsonValueKind.String)
        {
            return audiences.Any(a => aud.ValueEquals(a));
        }
        return aud.ValueKind == JsonValueKind.Array &&
               aud.EnumerateArray().Any(e => e.ValueKind == JsonValueKind.String && audiences.Any(a => e.ValueEquals(a)));
    }

    private static ClaimValue ToClaimValue(JsonElement claim)
    {
        switch (claim.ValueKind)
        {
            case JsonValueKind.String:
                var text = claim.GetString()!;
                var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Prepend(text).Distinct(StringComparer.Ordinal);
                return new ClaimValue(Encoding.UTF8.GetBytes(text), [.. words.Select(Encoding.UTF8.GetBytes)]);
            case JsonValueKind.Array:
                var elements = claim.EnumerateArray().Select(Scalar).ToArray();
                return new ClaimValue(Encoding.UTF8.GetBytes(string.Join(',', elements)), [.. elements.Select(Encoding.UTF8.GetBytes)]);
            default:
                var raw = Scalar(claim);
                return new ClaimValue(Encoding.UTF8.GetBytes(raw), [Encoding.UTF8.GetBytes(raw)]);
        }
    }

    private static string Scalar(JsonElement element) =>
        element.ValueKind == JsonValueKind.String ? element.GetString()! : element.GetRawText();
}

/// <summary>The compiled JWT settings the verifier checks against.</summary>
internal sealed class JwtSettings(JwtAlgorithm[] algorithms, string? issuer, string[]? audiences, long clockSkewSeconds, string[] claimNames)
{
    public JwtAlgorithm[] Algorithms { get; } = algorithms;

    public string? Issuer { get; } = issuer;

    public string[]? Audiences { get; } = audiences;

    public long ClockSkewSeconds { get; } = clockSkewSeconds;

    public string[] ClaimNames { get; } = claimNames;
}
