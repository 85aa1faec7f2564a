using System.Text;
using EnvoyExt.DynamicModules.Sdk;
using EnvoyExt.DynamicModules.Testing;
using EnvoyExt.Filters.Auth.Tests.Support;

namespace EnvoyExt.Filters.Auth.Tests;

[Collection("FakeEnvoy")]
public sealed class CombineAndRulesTests : AuthFixture
{
    private const string Methods = """
        "apiKey":{"secret":"keys","clientIdHeader":"x-client-id"},"basicAuth":{"secret":"users","userHeader":"x-user"}
        """;

    public CombineAndRulesTests()
    {
        Envoy.SetSecret("keys", "svc:service-key-0000000001\n");
#pragma warning disable CA5350 // htpasswd {SHA}
        Envoy.SetSecret("users", "alice:{SHA}" + Convert.ToBase64String(System.Security.Cryptography.SHA1.HashData("pw"u8)) + "\n");
#pragma warning restore CA5350
    }

    private static (string, string) Basic => ("authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:pw")));

    private static (string, string) Key => ("x-api-key", "service-key-0000000001");

    [Fact]
    public void AllNeedsEveryMethodAndForwardsEveryIdentity()
    {
        var config = Config("{" + Methods + "}");

        Assert.Equal(401u, Send(config, "/", Key).LocalReply?.Status);
        Assert.Equal(401u, Send(config, "/", Basic).LocalReply?.Status);
        var both = Send(config, "/", Key, Basic);
        Assert.Null(both.LocalReply);
        Assert.Equal("svc", both.RequestHeaders.Get("x-client-id"));
        Assert.Equal("alice", both.RequestHeaders.Get("x-user"));
    }

    [Fact]
    public void AnyTakesTheFirstThatPassesAndForwardsOnlyItsIdentity()
    {
        var config = Config("{\"name\":\"p\",\"combine\":\"any\"," + Methods + "}");

        var byKey = Send(config, "/", Key, ("x-user", "forged"));
        Assert.Null(byKey.LocalReply);
        Assert.Equal("svc", byKey.RequestHeaders.Get("x-client-id"));
        Assert.Null(byKey.RequestHeaders.Get("x-user"));

        var byBasic = Send(config, "/", ("x-api-key", "wrong"), Basic);
        Assert.Null(byBasic.LocalReply);
        Assert.Equal("alice", byBasic.RequestHeaders.Get("x-user"));
        Assert.Null(byBasic.RequestHeaders.Get("x-client-id"));
        Assert.Null(byBasic.RequestHeaders.Get("x-api-key"));

        var none = Send(config, "/");
        Assert.Equal(401u, none.LocalReply?.Status);
        Assert.Equal(["APIKey realm=\"envoyext\"", "Basic realm=\"envoyext\""],
            none.LocalReply!.Headers.Where(h => h.Name == "www-authenticate").Select(h => h.Value));
        Assert.Equal(1ul, Envoy.Metric("auth_allowed", "p", "apiKey"));
        Assert.Equal(1ul, Envoy.Metric("auth_allowed", "p", "basicAuth"));
    }

    [Fact]
    public void RulesFirstMatchWinsThenTheDefault()
    {
        var config = Config("""
            {"name":"p","apiKey":{"secret":"keys"},"authorization":{"defaultAction":"deny","rules":[
              {"name":"no-admin-writes","action":"deny","methods":["POST"],"pathPrefixes":["/admin"]},
              {"name":"admin","action":"allow","pathPrefixes":["/admin"],"sourceCidrs":["10.0.0.0/8"]},
              {"name":"public","action":"allow","pathPrefixes":["/public"]},
              {"name":"tenant","action":"allow","headers":[{"name":"x-tenant","value":"a"}]}]}}
            """);

        Assert.Null(Request(config, "GET", "/admin/x", "10.1.2.3:5000").LocalReply);
        Assert.Equal(403u, Request(config, "POST", "/admin/x", "10.1.2.3:5000").LocalReply?.Status);
        Assert.Equal(403u, Request(config, "GET", "/admin/x", "192.168.0.1:5000").LocalReply?.Status);
        Assert.Null(Request(config, "GET", "/public?q=1", "192.168.0.1:5000").LocalReply);
        Assert.Null(Request(config, "GET", "/other", "192.168.0.1:5000", ("x-tenant", "a")).LocalReply);
        Assert.Equal(403u, Request(config, "GET", "/other", "192.168.0.1:5000", ("x-tenant", "b")).LocalReply?.Status);
        Assert.Equal(1ul, Envoy.Metric("auth_forbidden", "p", "no-admin-writes"));
        Assert.Equal(2ul, Envoy.Metric("auth_forbidden", "p", "default"));
    }

    [Fact]
    public void ClaimAndScopeRules()
    {
        using var tokens = new TestTokens();
        var jwks = TestTokens.JsonString(TestTokens.Jwks(tokens.RsaJwk("r1")));
        var config = Config($$$"""
            {"jwt":{"jwks":{"inline":{{{jwks}}}}},"authorization":{"defaultAction":"deny","rules":[
              {"action":"allow","methods":["GET"],"claims":[{"name":"scope","value":"read"}]},
              {"action":"allow","claims":[{"name":"roles","value":"admin"}]}]}}
            """);
        var exp = $"\"exp\":{Time.UnixSeconds + 600}";
        string Token(string claims) => "Bearer " + tokens.Sign("RS256", "r1", TestTokens.Payload(exp, claims));

        Assert.Null(Request(config, "GET", "/", "1.1.1.1:1", ("authorization", Token("\"scope\":\"openid read\""))).LocalReply);
        Assert.Equal(403u, Request(config, "POST", "/", "1.1.1.1:1", ("authorization", Token("\"scope\":\"openid read\""))).LocalReply?.Status);
        Assert.Equal(403u, Request(config, "GET", "/", "1.1.1.1:1", ("authorization", Token("\"scope\":\"reader\""))).LocalReply?.Status);
        Assert.Null(Request(config, "POST", "/", "1.1.1.1:1", ("authorization", Token("\"roles\":[\"user\",\"admin\"]"))).LocalReply);
    }

    [Fact]
    public void APerRouteDisableSkipsTheFilter()
    {
        var config = Config("""{"apiKey":{"secret":"keys"}}""");
        var route = Envoy.CreateRouteConfig("auth", """{"disabled":true}""");
        var stream = Envoy.NewStream(config, route);
        stream.RequestHeaders.Add(":method", "GET").Add(":path", "/");

        Assert.Equal(HeadersStatus.Continue, stream.SendRequestHeaders());
        Assert.Null(stream.LocalReply);
    }

    private FakeStream Request(FakeFilterConfig config, string method, string path, string source,
                                    params (string Name, string Value)[] headers)
    {
        var stream = Envoy.NewStream(config);
        stream.RequestHeaders.Add(":method", method).Add(":path", path).Add("x-api-key", "service-key-0000000001");
        foreach (var (name, value) in headers)
        {
            stream.RequestHeaders.Add(name, value);
        }
        stream.SetAttribute(AttributeId.SourceAddress, source);
        stream.SendRequestHeaders();
        return stream;
    }
}
