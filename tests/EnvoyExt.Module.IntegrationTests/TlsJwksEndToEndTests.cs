using System.Security.Cryptography;
using System.Text;
using EnvoyExt.Module.IntegrationTests.Harness;

namespace EnvoyExt.Module.IntegrationTests;

/// <summary>
/// A remote JWKS served over TLS (an https:// JWKS URL, whose cluster the controller gives an
/// UpstreamTlsContext): the auth filter in libenvoyext.so fetches the keys through the host's TLS
/// callout from a loopback server whose certificate a private CA issued, and checks tokens with them.
/// The same server behind an untrusted CA or a wrong name yields no keys, so the token is refused.
/// </summary>
public class TlsJwksEndToEndTests
{
    private const string ServerName = "idp.test";
    private const string Config = """{"name":"idp","jwt":{"jwks":{"remote":{"cluster":"idp","host":"idp.test","path":"/keys","timeoutMs":5000}},"claimsToHeaders":[{"claim":"sub","header":"x-sub"}]}}""";
    private readonly HostRunner _host = HostRunner.Production();

    [Fact]
    public void KeysFetchedOverTlsFromATrustedServerValidateTokens()
    {
        using var rsa = RSA.Create(2048);
        using var other = RSA.Create(2048);
        using var server = new LoopbackTlsServer(ServerName, Jwks(rsa));
        var valid = Sign(rsa, """{"sub":"alice","exp":4102444800}""");
        var forged = Sign(other, """{"sub":"mallory","exp":4102444800}""");

        var run = _host.Run(Scenario(server.Cluster(server.CaFile, ServerName), valid, forged));

        Assert.Empty(run.ConfigErrors);
        Assert.Equal("alice", run.Results[0].UpstreamRequest?.Headers.Get("x-sub"));
        Assert.Equal(401, run.Results[1].LocalReply?.Status);
        Assert.Contains(server.Requests, r => r.StartsWith("GET /keys HTTP/1.1", StringComparison.Ordinal) && r.Contains("host: idp.test", StringComparison.OrdinalIgnoreCase));
        Assert.True(run.Metric("auth_jwks_fetches", ("policy", "idp"), ("result", "ok")) >= 1);
    }

    [Fact]
    public void AnUntrustedCaOrAWrongNameYieldsNoKeys()
    {
        using var rsa = RSA.Create(2048);
        using var server = new LoopbackTlsServer(ServerName, Jwks(rsa));
        using var stranger = new LoopbackTlsServer(ServerName, Jwks(rsa));
        var valid = Sign(rsa, """{"sub":"alice","exp":4102444800}""");

        var untrusted = _host.Run(Scenario(server.Cluster(stranger.CaFile, ServerName), valid));
        var misnamed = _host.Run(Scenario(server.Cluster(server.CaFile, "other.test"), valid));

        foreach (var run in new[] { untrusted, misnamed })
        {
            Assert.Empty(run.ConfigErrors);
            Assert.Equal(401, run.Results[0].LocalReply?.Status);
            Assert.Null(run.Results[0].UpstreamRequest);
            Assert.True(run.Metric("auth_jwks_fetches", ("policy", "idp"), ("result", "failed")) >= 1);
        }

        // The handshakes failed: the server never read a request.
        Assert.Empty(server.Requests);
    }

    private static Scenario Scenario(string cluster, params string[] tokens) =>
        new([new FilterSpec("auth", Config)],
            [.. tokens.Select(t => RequestSpec.Get("/", ("authorization", "Bearer " + t)))],
            Clusters: new Dictionary<string, string> { ["idp"] = cluster });

    private static string Jwks(RSA rsa)
    {
        var p = rsa.ExportParameters(false);
        return $$"""{"keys":[{"kty":"RSA","kid":"k1","alg":"RS256","n":"{{B64(p.Modulus!)}}","e":"{{B64(p.Exponent!)}}"}]}""";
    }

    private static string B64(ReadOnlySpan<byte> bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string Sign(RSA key, string payload)
    {
        var input = B64("""{"alg":"RS256","kid":"k1"}"""u8) + "." + B64(Encoding.UTF8.GetBytes(payload));
        return input + "." + B64(key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }
}
