using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace EnvoyExt.Filters.Auth.Tests.Support;

/// <summary>Keys, JWKS documents and signed tokens for the JWT vectors (signed with the BCL, independently of the filter).</summary>
internal sealed class TestTokens : IDisposable
{
    public RSA Rsa { get; } = RSA.Create(2048);

    public RSA OtherRsa { get; } = RSA.Create(2048);

    public ECDsa EcP256 { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public byte[] HmacKey { get; } = RandomNumberGenerator.GetBytes(32);

    public static string B64(ReadOnlySpan<byte> bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string B64(string text) => B64(Encoding.UTF8.GetBytes(text));

    public string RsaJwk(string kid, RSA? rsa = null)
    {
        var p = (rsa ?? Rsa).ExportParameters(false);
        return $$"""{"kty":"RSA","kid":"{{kid}}","use":"sig","n":"{{B64(p.Modulus)}}","e":"{{B64(p.Exponent)}}"}""";
    }

    public string EcJwk(string kid)
    {
        var p = EcP256.ExportParameters(false);
        return $$"""{"kty":"EC","kid":"{{kid}}","crv":"P-256","x":"{{B64(p.Q.X)}}","y":"{{B64(p.Q.Y)}}"}""";
    }

    public string HmacJwk(string kid) => $$"""{"kty":"oct","kid":"{{kid}}","k":"{{B64(HmacKey)}}"}""";

    public static string Jwks(params string[] keys) => $$"""{"keys":[{{string.Join(',', keys)}}]}""";

    /// <summary>A payload with the given claims as JSON members (e.g. "\"sub\":\"alice\"").</summary>
    public static string Payload(params string[] members) => "{" + string.Join(',', members) + "}";

    public string Sign(string alg, string? kid, string payload, Func<byte[], byte[]>? signer = null)
    {
        var header = kid is null ? $$"""{"alg":"{{alg}}","typ":"JWT"}""" : $$"""{"alg":"{{alg}}","typ":"JWT","kid":"{{kid}}"}""";
        var signingInput = B64(header) + "." + B64(payload);
        var data = Encoding.ASCII.GetBytes(signingInput);
        var signature = signer is not null ? signer(data) : alg switch
        {
            "RS256" => Rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            "RS384" => Rsa.SignData(data, HashAlgorithmName.SHA384, RSASignaturePadding.Pkcs1),
            "RS512" => Rsa.SignData(data, HashAlgorithmName.SHA512, RSASignaturePadding.Pkcs1),
            "PS256" => Rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pss),
            "ES256" => EcP256.SignData(data, HashAlgorithmName.SHA256),
            "HS256" => HMACSHA256.HashData(HmacKey, data),
            "none" => [],
            _ => throw new ArgumentException(alg),
        };
        return signingInput + "." + B64(signature);
    }

    public static string JsonString(string value) => JsonSerializer.Serialize(value, TestJson.Default.String);

    public void Dispose()
    {
        Rsa.Dispose();
        OtherRsa.Dispose();
        EcP256.Dispose();
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(string))]
internal sealed partial class TestJson : System.Text.Json.Serialization.JsonSerializerContext;
