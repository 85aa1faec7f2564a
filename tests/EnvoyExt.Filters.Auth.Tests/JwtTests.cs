using System.Text;
using EnvoyExt.DynamicModules.Sdk;
using EnvoyExt.DynamicModules.Testing;
using EnvoyExt.Filters.Auth.Tests.Support;

namespace EnvoyExt.Filters.Auth.Tests;

/// <summary>The JWT vectors: each token is signed with the BCL by the test, independently of the filter.</summary>
[Collection("FakeEnvoy")]
public sealed class JwtTests : AuthFixture
{
    private readonly TestTokens _tokens = new();

    public JwtTests() => Envoy.SetSecret("hmac-jwks", TestTokens.Jwks(_tokens.HmacJwk("h1")));

    private string InlineConfig(string extra = "") => $$$"""
        {"name":"p","jwt":{"issuer":"https://issuer.example","audiences":["api"],
          "jwks":{"inline":{{{TestTokens.JsonString(TestTokens.Jwks(_tokens.RsaJwk("r1"), _tokens.EcJwk("e1")))}}}},
          "claimsToHeaders":[{"claim":"sub","header":"x-jwt-sub"}]{{{extra}}}}}
        """;

    private string Claims(long expOffset = 3600, long? nbfOffset = null, string iss = "https://issuer.example", string aud = "\"api\"") =>
        TestTokens.Payload("\"sub\":\"alice\"", $"\"iss\":\"{iss}\"", $"\"aud\":{aud}", $"\"exp\":{Time.UnixSeconds + expOffset}",
            nbfOffset is { } nbf ? $"\"nbf\":{Time.UnixSeconds + nbf}" : "\"iat\":1");

    private static (string, string) Bearer(string token) => ("authorization", "Bearer " + token);

    private void AssertUnauthorized(FakeFilterConfig config, string token) =>
        Assert.Equal(401u, Send(config, "/", Bearer(token)).LocalReply?.Status);

    [Theory]
    [InlineData("RS256", "r1")]
    [InlineData("RS384", "r1")]
    [InlineData("RS512", "r1")]
    [InlineData("PS256", "r1")]
    [InlineData("ES256", "e1")]
    [InlineData("RS256", null)]
    public void AValidTokenPassesCopiesClaimsAndIsRemoved(string alg, string? kid)
    {
        var stream = Send(Config(InlineConfig()), "/", Bearer(_tokens.Sign(alg, kid, Claims())), ("x-jwt-sub", "mallory"));

        Assert.Null(stream.LocalReply);
        Assert.Equal(["alice"], stream.RequestHeaders.GetAll("x-jwt-sub"));
        Assert.Null(stream.RequestHeaders.Get("authorization"));
    }

    [Fact]
    public void HS256WithAKeyFromASecretPasses()
    {
        var config = Config("""{"jwt":{"jwks":{"secret":"hmac-jwks"}}}""");

        Assert.Null(Send(config, "/", Bearer(_tokens.Sign("HS256", "h1", Claims()))).LocalReply);
    }

    [Fact]
    public void InvalidTokensAre401()
    {
        var config = Config(InlineConfig());
        AssertUnauthorized(config, _tokens.Sign("RS256", "r1", Claims(expOffset: -120)));                 // expired beyond the skew
        AssertUnauthorized(config, _tokens.Sign("RS256", "r1", Claims(nbfOffset: 600)));                  // not yet valid
        AssertUnauthorized(config, _tokens.Sign("RS256", "r1", Claims(iss: "https://evil.example")));     // wrong issuer
        AssertUnauthorized(config, _tokens.Sign("RS256", "r1", Claims(aud: "[\"other\",\"x\"]")));         // wrong audience
        AssertUnauthorized(config, _tokens.Sign("RS256", "r1", Claims(), d => _tokens.OtherRsa.SignData(   // bad signature
            d, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1)));
        AssertUnauthorized(config, _tokens.Sign("none", null, Claims()));                                  // alg none
        AssertUnauthorized(config, _tokens.Sign("RS256", "unknown", Claims()));                            // unknown kid
        AssertUnauthorized(config, "not.a.jwt");
        Assert.Equal(8ul, Envoy.Metric("auth_unauthorized", "p", "invalid"));
    }

    [Fact]
    public void HS256SignedWithTheRsaPublicKeyIsRejected()
    {
        var config = Config(InlineConfig());
        var publicKey = Encoding.ASCII.GetBytes(_tokens.Rsa.ExportSubjectPublicKeyInfoPem());
        var modulus = _tokens.Rsa.ExportParameters(false).Modulus!;

        AssertUnauthorized(config, _tokens.Sign("HS256", "r1", Claims(), d => System.Security.Cryptography.HMACSHA256.HashData(publicKey, d)));
        AssertUnauthorized(config, _tokens.Sign("HS256", null, Claims(), d => System.Security.Cryptography.HMACSHA256.HashData(modulus, d)));
    }

    [Fact]
    public void ClockSkewToleratesASlightlyExpiredToken()
    {
        var config = Config(InlineConfig(",\"clockSkewSeconds\":30"));
        var token = _tokens.Sign("RS256", "r1", Claims(expOffset: 60));

        Time.Now = Time.Now.AddSeconds(80);
        Assert.Null(Send(config, "/", Bearer(token)).LocalReply);
        Time.Now = Time.Now.AddSeconds(20);
        Assert.Equal(401u, Send(config, "/", Bearer(token)).LocalReply?.Status);
    }

    [Fact]
    public void ACachedTokenStillExpires()
    {
        var config = Config(InlineConfig(",\"clockSkewSeconds\":0"));
        var token = _tokens.Sign("RS256", "r1", Claims(expOffset: 10));

        Assert.Null(Send(config, "/", Bearer(token)).LocalReply);
        Time.Now = Time.Now.AddSeconds(10);
        Assert.Equal(401u, Send(config, "/", Bearer(token)).LocalReply?.Status);
    }

    [Fact]
    public void JwksRotationInASecretRetiresTheOldKey()
    {
        var config = Config("""{"jwt":{"jwks":{"secret":"hmac-jwks"}}}""");
        var before = _tokens.Sign("HS256", "h1", Claims());
        Assert.Null(Send(config, "/", Bearer(before)).LocalReply);

        using var next = new TestTokens();
        Envoy.SetSecret("hmac-jwks", TestTokens.Jwks(next.HmacJwk("h2")));

        Assert.Equal(401u, Send(config, "/", Bearer(before)).LocalReply?.Status);
        Assert.Null(Send(config, "/", Bearer(next.Sign("HS256", "h2", Claims()))).LocalReply);
    }

    [Fact]
    public void TokenFromACookieOrQueryIsReadAndRemoved()
    {
        var config = Config(InlineConfig(",\"from\":[{\"cookie\":\"session\"},{\"query\":\"access_token\"}]"));
        var token = _tokens.Sign("RS256", "r1", Claims());

        var cookie = Send(config, "/", ("cookie", $"session={token}"));
        Assert.Null(cookie.LocalReply);
        Assert.Null(cookie.RequestHeaders.Get("cookie"));

        var query = Send(config, $"/x?access_token={token}&y=1");
        Assert.Null(query.LocalReply);
        Assert.Equal("/x?y=1", query.RequestHeaders.Get(":path"));
    }

    [Fact]
    public void InlineSymmetricKeysAreRefused()
    {
        var json = """{"jwt":{"jwks":{"inline":""" + TestTokens.JsonString(TestTokens.Jwks(_tokens.HmacJwk("h1"))) + "}}}";

        Assert.Null(Envoy.TryCreateConfig("auth", json, out var error));
        Assert.Contains("jwt.jwks.inline: JWKS keys[0]: symmetric (oct) keys are only accepted from a secret", error, StringComparison.Ordinal);
    }

    [Fact]
    public void RemoteJwksIsFetchedOnceThenServedFromCacheAndRefreshedInTheBackground()
    {
        var config = Config("""
            {"name":"p","jwt":{"jwks":{"remote":{"cluster":"idp","host":"idp.example","path":"/jwks","refreshSeconds":60}}}}
            """);
        var jwks = TestTokens.Jwks(_tokens.RsaJwk("r1"));
        var token = _tokens.Sign("RS256", "r1", Claims());

        var first = Envoy.NewStream(config);
        first.RequestHeaders.Add(":method", "GET").Add(":path", "/").Add("authorization", "Bearer " + token);
        Assert.Equal(HeadersStatus.StopIteration, first.SendRequestHeaders());
        var fetch = Assert.Single(first.Callouts);
        Assert.Equal("idp", fetch.Cluster);
        Assert.Contains((":path", "/jwks"), fetch.Headers);
        first.CompleteCallout(fetch.Id, HttpCalloutResult.Success, jwks, (":status", "200"));
        Assert.Equal(1, first.ContinueDecodingCount);
        Assert.Null(first.LocalReply);

        var second = Send(config, "/", Bearer(token));
        Assert.Null(second.LocalReply);
        Assert.Empty(second.Callouts);

        Time.Now = Time.Now.AddSeconds(61);
        var stale = Send(config, "/", Bearer(token));
        Assert.Null(stale.LocalReply);
        var refresh = Assert.Single(stale.Callouts);
        Assert.Empty(Send(config, "/", Bearer(token)).Callouts);

        using var rotated = new TestTokens();
        stale.CompleteCallout(refresh.Id, HttpCalloutResult.Success, TestTokens.Jwks(rotated.RsaJwk("r2")), (":status", "200"));
        Assert.Equal(401u, Send(config, "/", Bearer(token)).LocalReply?.Status);
        Assert.Null(Send(config, "/", Bearer(rotated.Sign("RS256", "r2", Claims()))).LocalReply);
        Assert.Equal(2ul, Envoy.Metric("auth_jwks_fetches", "p", "ok"));
    }

    [Fact]
    public void AFailedFirstFetchIs401()
    {
        var config = Config("""{"name":"p","jwt":{"jwks":{"remote":{"cluster":"idp","host":"idp.example","path":"/jwks"}}}}""");
        var stream = Envoy.NewStream(config);
        stream.RequestHeaders.Add(":method", "GET").Add(":path", "/").Add("authorization", "Bearer " + _tokens.Sign("RS256", "r1", Claims()));
        stream.SendRequestHeaders();

        stream.CompleteCallout(stream.Callouts[0].Id, HttpCalloutResult.Success, "oops", (":status", "500"));

        Assert.Equal(401u, stream.LocalReply?.Status);
        Assert.Equal(1ul, Envoy.Metric("auth_unauthorized", "p", "keys_unavailable"));
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _tokens.Dispose();
        }
        base.Dispose(disposing);
    }
}
