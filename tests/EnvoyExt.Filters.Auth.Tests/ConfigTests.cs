using EnvoyExt.Filters.Auth.Config;

namespace EnvoyExt.Filters.Auth.Tests;

public sealed class ConfigTests
{
    [Theory]
    [InlineData("""{}""", "config: needs at least one of apiKey, basicAuth, jwt")]
    [InlineData("""{"combine":"some","apiKey":{"secret":"k"}}""", "combine: must be \"all\" or \"any\"")]
    [InlineData("""{"apiKey":{}}""", "apiKey.secret: required")]
    [InlineData("""{"apiKey":{"secret":"k","from":[{"header":"X-Key"}]}}""", "apiKey.from[0].header: a lower-case header name")]
    [InlineData("""{"apiKey":{"secret":"k","from":[{"header":"x","query":"y"}]}}""", "apiKey.from[0]: exactly one of header, query, cookie")]
    [InlineData("""{"jwt":{}}""", "jwt.jwks: required")]
    [InlineData("""{"jwt":{"jwks":{"inline":"{}","secret":"s"}}}""", "jwt.jwks: exactly one of inline, secret, remote")]
    [InlineData("""{"jwt":{"algorithms":["none"],"jwks":{"secret":"s"}}}""", "jwt.algorithms[0]: unsupported algorithm")]
    [InlineData("""{"jwt":{"clockSkewSeconds":9999,"jwks":{"secret":"s"}}}""", "jwt.clockSkewSeconds: 0..600")]
    [InlineData("""{"jwt":{"jwks":{"remote":{"cluster":"c","host":"h","path":"jwks"}}}}""", "jwt.jwks.remote.path: required")]
    [InlineData("""{"apiKey":{"secret":"k"},"authorization":{"rules":[{"action":"allow","sourceCidrs":["10.0.0.0/99"]}]}}""", "authorization.rules[0].sourceCidrs[0]: not a CIDR")]
    [InlineData("""{"apiKey":{"secret":"k"},"authorization":{"rules":[{"action":"allow","claims":[{"name":"a","value":"b"}]}]}}""", "authorization.rules[0].claims: needs the jwt method")]
    [InlineData("""{"apiKey":{"secret":"k"},"authorization":{"rules":[{"action":"maybe"}]}}""", "authorization.rules[0].action: must be")]
    [InlineData("""{"apiKey":{"secret":"k"},"bogus":1}""", "bogus")]
    public void InvalidDocumentsAreRejectedNamingTheField(string json, string expected)
    {
        Assert.False(AuthConfigJson.TryParse(json, AuthConfigLevel.Listener, out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void DisabledIsPerRouteOnlyAndAlone()
    {
        Assert.True(AuthConfigJson.TryParse("""{"disabled":true}""", AuthConfigLevel.Route, out _, out _));
        Assert.False(AuthConfigJson.TryParse("""{"disabled":true}""", AuthConfigLevel.Listener, out _, out _));
        Assert.False(AuthConfigJson.TryParse("""{"disabled":true,"name":"x"}""", AuthConfigLevel.Route, out _, out _));
    }

    [Fact]
    public void ADocumentRoundTrips()
    {
        var config = new AuthConfig
        {
            Name = "ns/policy",
            Combine = "any",
            ApiKey = new ApiKeyConfig { Secret = "keys", ClientIdHeader = "x-client-id" },
            Jwt = new JwtConfig { Jwks = new JwksSource { Remote = new RemoteJwks { Cluster = "c", Host = "h", Path = "/j" } } },
        };
        var json = AuthConfigJson.Serialize(config);

        Assert.True(AuthConfigJson.TryParse(json, AuthConfigLevel.Listener, out var parsed, out var error), error);
        Assert.Equal(json, AuthConfigJson.Serialize(parsed!));
    }
}
