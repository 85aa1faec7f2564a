using EnvoyExt.Filters.Auth.Tests.Support;

namespace EnvoyExt.Filters.Auth.Tests;

[Collection("FakeEnvoy")]
public sealed class ApiKeyTests : AuthFixture
{
    private const string Keys = "# clients\nalice:key-of-alice-0123456789\nbob:key-of-bob-9876543210\n";

    public ApiKeyTests() => Envoy.SetSecret("api-keys", Keys);

    private const string HeaderConfig = """{"name":"p","apiKey":{"secret":"api-keys","clientIdHeader":"x-client-id"}}""";

    [Fact]
    public void ARightKeyPassesForwardsTheClientIdAndIsRemoved()
    {
        var stream = Send(Config(HeaderConfig), "/api", ("x-api-key", "key-of-bob-9876543210"), ("x-client-id", "admin"));

        Assert.Null(stream.LocalReply);
        Assert.Equal("bob", stream.RequestHeaders.Get("x-client-id"));
        Assert.Single(stream.RequestHeaders.GetAll("x-client-id"));
        Assert.Null(stream.RequestHeaders.Get("x-api-key"));
        Assert.Equal(1ul, Envoy.Metric("auth_allowed", "p", "all"));
    }

    [Fact]
    public void AWrongKeyIs401WithAChallenge()
    {
        var stream = Send(Config(HeaderConfig), "/api", ("x-api-key", "key-of-bob-9876543211"));

        Assert.Equal(401u, stream.LocalReply?.Status);
        Assert.Equal("APIKey realm=\"envoyext\"", stream.LocalReply!.Header("www-authenticate"));
        Assert.Equal(1ul, Envoy.Metric("auth_unauthorized", "p", "invalid"));
    }

    [Fact]
    public void AMissingKeyIs401()
    {
        var stream = Send(Config(HeaderConfig));

        Assert.Equal(401u, stream.LocalReply?.Status);
        Assert.Equal(1ul, Envoy.Metric("auth_unauthorized", "p", "missing"));
    }

    [Fact]
    public void KeysFromQueryAndCookieAreReadAndRemovedLeavingTheRest()
    {
        var config = Config("""{"apiKey":{"secret":"api-keys","from":[{"query":"api_key"},{"cookie":"k"}]}}""");

        var query = Send(config, "/api?a=1&api_key=key-of-alice-0123456789&b=2");
        Assert.Null(query.LocalReply);
        Assert.Equal("/api?a=1&b=2", query.RequestHeaders.Get(":path"));

        var cookie = Send(config, "/api", ("cookie", "theme=dark; k=key-of-alice-0123456789; lang=en"));
        Assert.Null(cookie.LocalReply);
        Assert.Equal("theme=dark; lang=en", cookie.RequestHeaders.Get("cookie"));

        var lone = Send(config, "/api?api_key=key-of-alice-0123456789");
        Assert.Equal("/api", lone.RequestHeaders.Get(":path"));
    }

    [Fact]
    public void KeepCredentialLeavesTheKey()
    {
        var stream = Send(Config("""{"apiKey":{"secret":"api-keys","keepCredential":true}}"""), "/api", ("x-api-key", "key-of-alice-0123456789"));

        Assert.Null(stream.LocalReply);
        Assert.Equal("key-of-alice-0123456789", stream.RequestHeaders.Get("x-api-key"));
    }

    [Fact]
    public void ARotatedSecretTakesEffectWithoutAReload()
    {
        var config = Config(HeaderConfig);
        Envoy.SetSecret("api-keys", "carol:key-of-carol-5555555555\n");

        Assert.Equal(401u, Send(config, "/api", ("x-api-key", "key-of-alice-0123456789")).LocalReply?.Status);
        Assert.Equal("carol", Send(config, "/api", ("x-api-key", "key-of-carol-5555555555")).RequestHeaders.Get("x-client-id"));
    }

    [Fact]
    public void ARemovedSecretFailsClosed()
    {
        var config = Config(HeaderConfig);
        Envoy.RemoveSecret("api-keys");

        Assert.Equal(401u, Send(config, "/api", ("x-api-key", "key-of-alice-0123456789")).LocalReply?.Status);
    }

    [Fact]
    public void AMalformedSecretIsRejectedNamingTheFieldAndLineButNeverTheValue()
    {
        Envoy.SetSecret("api-keys", "alice:key-of-alice-0123456789\nsupersecretvalue-without-colon\n");

        var rejected = Envoy.TryCreateConfig("auth", HeaderConfig, out var error);

        Assert.Null(rejected);
        Assert.Contains("apiKey.secret: secret 'api-keys': line 2", error, StringComparison.Ordinal);
        Assert.DoesNotContain("supersecretvalue", error, StringComparison.Ordinal);
        Assert.DoesNotContain(Envoy.Logs, l => l.Contains("supersecretvalue", StringComparison.Ordinal) || l.Contains("key-of-alice", StringComparison.Ordinal));
    }

    [Fact]
    public void RejectedKeysNeverReachTheLogs()
    {
        var config = Config(HeaderConfig);
        Send(config, "/api", ("x-api-key", "presented-wrong-key-777"));
        Send(config, "/api", ("x-api-key", "key-of-alice-0123456789"));

        Assert.DoesNotContain(Envoy.Logs, l => l.Contains("presented-wrong-key", StringComparison.Ordinal) || l.Contains("key-of-", StringComparison.Ordinal));
    }
}
