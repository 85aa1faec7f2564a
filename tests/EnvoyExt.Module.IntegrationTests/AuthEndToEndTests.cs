using System.Security.Cryptography;
using System.Text;
using EnvoyExt.Module.IntegrationTests.Harness;

namespace EnvoyExt.Module.IntegrationTests;

/// <summary>
/// The auth filter (docs/filters/auth.md) through the real NativeAOT libenvoyext.so and the ABI host:
/// secrets served by the host, and JWT signatures checked by the BCL's OpenSSL shim inside the module.
/// </summary>
public class AuthEndToEndTests
{
    private readonly HostRunner _host = HostRunner.Production();

    [Fact]
    public void ApiKeysAndJwtsAreCheckedInsideTheNativeModule()
    {
        using var rsa = RSA.Create(2048);
        var hmacKey = RandomNumberGenerator.GetBytes(32);
        var p = rsa.ExportParameters(false);
        var jwks = $$"""{"keys":[{"kty":"RSA","kid":"r1","n":"{{B64(p.Modulus!)}}","e":"{{B64(p.Exponent!)}}"}]}""";
        var hmacJwks = $$"""{"keys":[{"kty":"oct","kid":"h1","k":"{{B64(hmacKey)}}"}]}""";
        var claims = """{"sub":"alice","exp":4102444800}""";
        var rs256 = Sign("RS256", "r1", claims, d => rsa.SignData(d, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        var hs256 = Sign("HS256", "h1", claims, d => HMACSHA256.HashData(hmacKey, d));
        var inline = System.Text.Json.JsonSerializer.Serialize(jwks, IntegrationJson.Default.String);
        var keyConfig = """{"name":"keys","apiKey":{"secret":"api-keys","clientIdHeader":"x-client-id"}}""";
        var jwtConfig = $$$"""{"name":"rs","jwt":{"jwks":{"inline":{{{inline}}}},"claimsToHeaders":[{"claim":"sub","header":"x-sub"}]}}""";
        var hmacConfig = """{"name":"hs","jwt":{"jwks":{"secret":"hmac-jwks"},"claimsToHeaders":[{"claim":"sub","header":"x-sub"}]}}""";
        var secrets = new Dictionary<string, string> { ["api-keys"] = "svc:key-0123456789abcdef\n", ["hmac-jwks"] = hmacJwks };

        var keys = _host.Run(new Scenario([new FilterSpec("auth", keyConfig)],
            [RequestSpec.Get("/", ("x-api-key", "key-0123456789abcdef")), RequestSpec.Get("/", ("x-api-key", "nope"))], Secrets: secrets));
        var rs = _host.Run(new Scenario([new FilterSpec("auth", jwtConfig)],
            [RequestSpec.Get("/", ("authorization", "Bearer " + rs256)), RequestSpec.Get("/", ("authorization", "Bearer " + hs256))], Secrets: secrets));
        var hs = _host.Run(new Scenario([new FilterSpec("auth", hmacConfig)],
            [RequestSpec.Get("/", ("authorization", "Bearer " + hs256))], Secrets: secrets));

        Assert.Empty(keys.ConfigErrors);
        Assert.Equal("svc", keys.Results[0].UpstreamRequest?.Headers.Get("x-client-id"));
        Assert.False(keys.Results[0].UpstreamRequest!.Headers.Has("x-api-key"));
        Assert.Equal(401, keys.Results[1].LocalReply?.Status);
        Assert.Empty(rs.ConfigErrors);
        Assert.Equal("alice", rs.Results[0].UpstreamRequest?.Headers.Get("x-sub"));
        Assert.Equal(401, rs.Results[1].LocalReply?.Status);
        Assert.Equal("alice", hs.Results[0].UpstreamRequest?.Headers.Get("x-sub"));
        Assert.DoesNotContain(keys.Logs.Concat(rs.Logs).Concat(hs.Logs), l => l.Message.Contains("key-0123456789", StringComparison.Ordinal));
    }

    private static string B64(ReadOnlySpan<byte> bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string Sign(string alg, string kid, string payload, Func<byte[], byte[]> signer)
    {
        var input = B64(Encoding.UTF8.GetBytes($$"""{"alg":"{{alg}}","kid":"{{kid}}"}""")) + "." + B64(Encoding.UTF8.GetBytes(payload));
        return input + "." + B64(signer(Encoding.ASCII.GetBytes(input)));
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(string))]
internal sealed partial class IntegrationJson : System.Text.Json.Serialization.JsonSerializerContext;
