using System.Security.Cryptography;
using System.Text;
using EnvoyExt.Filters.Auth.BasicAuth;
using EnvoyExt.Filters.Auth.Tests.Support;

namespace EnvoyExt.Filters.Auth.Tests;

[Collection("FakeEnvoy")]
public sealed class BasicAuthTests : AuthFixture
{
    private const string Config1 = """{"name":"p","basicAuth":{"secret":"htpasswd","userHeader":"x-user"}}""";

    // A cost-4 bcrypt hash keeps the test fast; the format is the one htpasswd -B writes.
    private static readonly string BcryptHash = BCrypt.Net.BCrypt.HashPassword("b-secret", 4);

#pragma warning disable CA5350 // the {SHA} htpasswd scheme under test is SHA-1 by definition
    private static readonly string ShaHash = "{SHA}" + Convert.ToBase64String(SHA1.HashData("a-secret"u8));
#pragma warning restore CA5350

    public BasicAuthTests() => Envoy.SetSecret("htpasswd", $"alice:{ShaHash}\nbob:{BcryptHash}\n");

    private static (string, string) Basic(string user, string password) =>
        ("authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    [Theory]
    [InlineData("alice", "a-secret")]
    [InlineData("bob", "b-secret")]
    public void RightCredentialsPassForwardTheUserAndDropTheHeader(string user, string password)
    {
        var stream = Send(Config(Config1), "/", Basic(user, password), ("x-user", "root"));

        Assert.Null(stream.LocalReply);
        Assert.Equal(user, stream.RequestHeaders.Get("x-user"));
        Assert.Null(stream.RequestHeaders.Get("authorization"));
    }

    [Theory]
    [InlineData("alice", "b-secret")]
    [InlineData("bob", "a-secret")]
    [InlineData("carol", "a-secret")]
    public void WrongCredentialsAre401WithABasicChallenge(string user, string password)
    {
        var stream = Send(Config(Config1), "/", Basic(user, password));

        Assert.Equal(401u, stream.LocalReply?.Status);
        Assert.Equal("Basic realm=\"envoyext\"", stream.LocalReply!.Header("www-authenticate"));
    }

    [Fact]
    public void MissingOrGarbledCredentialsAre401()
    {
        var config = Config(Config1);

        Assert.Equal(401u, Send(config).LocalReply?.Status);
        Assert.Equal(401u, Send(config, "/", ("authorization", "Basic !!!notbase64")).LocalReply?.Status);
        Assert.Equal(1ul, Envoy.Metric("auth_unauthorized", "p", "missing"));
        Assert.Equal(1ul, Envoy.Metric("auth_unauthorized", "p", "invalid"));
    }

    [Fact]
    public void ARepeatedBcryptCredentialIsCheckedOnceAndAWrongOneNeverCached()
    {
        var table = HtpasswdTable.Parse(Encoding.UTF8.GetBytes($"bob:{BcryptHash}\n"), 16, out _)!;

        Assert.NotNull(table.Verify("bob"u8, "b-secret"u8, "bob:b-secret"u8));
        Assert.NotNull(table.Verify("bob"u8, "b-secret"u8, "bob:b-secret"u8));
        Assert.Equal(1, table.BcryptChecks);
        Assert.Null(table.Verify("bob"u8, "wrong"u8, "bob:wrong"u8));
        Assert.Null(table.Verify("bob"u8, "wrong"u8, "bob:wrong"u8));
        Assert.Equal(3, table.BcryptChecks);
    }

    [Theory]
    [InlineData("alice:$apr1$abc$def\n", "line 1: unsupported hash")]
    [InlineData("alice\n", "line 1: expected user:hash")]
    [InlineData("a:{SHA}AAAA\n", "line 1: {SHA} needs")]
    [InlineData("# nobody\n", "no users")]
    public void UnusableHtpasswdIsRejectedNamingTheLine(string secret, string reason)
    {
        Assert.Null(HtpasswdTable.Parse(Encoding.UTF8.GetBytes(secret), 0, out var error));
        Assert.StartsWith(reason, error, StringComparison.Ordinal);
    }
}
