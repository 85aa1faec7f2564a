using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Envoy.Config.Listener.V3;
using Envoy.Config.Route.V3;
using EnvoyExt.ControlPlane.GatewayApi;
using EnvoyExt.ControlPlane.Providers.Standalone;
using EnvoyExt.ControlPlane.Tests.Xds;
using EnvoyExt.ControlPlane.XdsTranslation;
using EnvoyExt.Demo;
using TlsSecret = Envoy.Extensions.TransportSockets.Tls.V3.Secret;

namespace EnvoyExt.ControlPlane.Tests.GatewayApi;

/// <summary>
/// examples/auth end to end: the folder translated by the controller into xDS (SDS secrets included),
/// replayed through the real libenvoyext.so in the ABI host with the demo's scenario builder (what an
/// Envoy node receiving that xDS would run), answering 200, 401, 403 and 429 as the example promises.
/// Needs the native build (`make all`): the host binary and the module.
/// </summary>
public sealed class AuthExampleEndToEndTests
{
    private const string ApiKey = "rk-5f0c2b7e9a41d3c8";

    [Fact]
    public async Task JwtUsersAreLimitedPerSubjectAndApiKeysOpenReports()
    {
        var result = GatewayApiTranslator.Translate(StandaloneProvider.ReadFolder(Path.Combine(RepoPaths.Root, "examples", "auth")));
        var xds = XdsTranslator.Translate(result.Ir)["default/auth"];
        var secrets = xds.Secrets.Select(s => TlsSecret.Parser.ParseFrom(s.Packed.Value))
            .ToDictionary(s => s.Name, s => s.GenericSecret.Secret.InlineString);
        var node = new NodeConfiguration(
            xds.Listeners.Select(l => Listener.Parser.ParseFrom(l.Packed.Value)).ToList(),
            xds.Routes.Select(r => RouteConfiguration.Parser.ParseFrom(r.Packed.Value)).ToDictionary(r => r.Name),
            xds.Clusters.Select(c => c.Name).ToList(),
            secrets);
        var key = HmacKey(secrets["auth-jwks/default/jwt-keys"]);
        var alice = Token(key, """{"iss":"https://idp.example","aud":"shop","sub":"alice","scope":"orders read","exp":4102444800}""");
        var bob = Token(key, """{"iss":"https://idp.example","aud":"shop","sub":"bob","scope":"orders","exp":4102444800}""");
        var noScope = Token(key, """{"iss":"https://idp.example","aud":"shop","sub":"carol","scope":"read","exp":4102444800}""");
        var forged = Token(RandomNumberGenerator.GetBytes(32), """{"iss":"https://idp.example","aud":"shop","sub":"alice","scope":"orders","exp":4102444800}""");

        var scenario = HostScenarioBuilder.Build(node, workers: 1);
        scenario["sequential"] = true;
        scenario["requests"] = new JsonArray(
            Request("/orders", ("authorization", "Bearer " + alice), ("x-jwt-sub", "mallory")),
            Request("/orders", ("authorization", "Bearer " + alice)),
            Request("/orders", ("authorization", "Bearer " + alice)),
            Request("/orders", ("authorization", "Bearer " + alice)),
            Request("/orders", ("authorization", "Bearer " + bob)),
            Request("/orders", ("authorization", "Bearer " + noScope)),
            Request("/orders", ("authorization", "Bearer " + forged)),
            Request("/orders"),
            Request("/reports", ("x-api-key", ApiKey)),
            Request("/reports", ("x-api-key", "rk-guessed")),
            Request("/reports", ("authorization", "Bearer " + bob)),
            Request("/health"));

        var run = await HostRun.RunAsync(
            Environment.GetEnvironmentVariable("ENVOYEXT_HOST_BIN") ?? Path.Combine(RepoPaths.Root, "build", "native", "bin", "envoyext-host"),
            Environment.GetEnvironmentVariable("ENVOYEXT_MODULE_DIR") ?? Path.Combine(RepoPaths.Root, "build", "module"),
            scenario);

        Assert.True(run["config_errors"]!.AsArray().Count == 0, run["config_errors"]!.ToJsonString());
        var results = run["results"]!.AsArray();
        int[] expected = [200, 200, 200, 429, 200, 403, 401, 401, 200, 401, 401, 200];
        Assert.Equal(expected, results.Select(r => (int)r!["downstream_response"]!["status"]!));

        // The verified subject reaches the shop, whatever the client claimed; the token does not.
        var first = results[0]!["upstream_request"]!["headers"]!.AsArray();
        Assert.Equal(["alice"], HeaderValues(first, "x-jwt-sub"));
        Assert.Empty(HeaderValues(first, "authorization"));
        var report = results[8]!["upstream_request"]!["headers"]!.AsArray();
        Assert.Equal(["reporting-job"], HeaderValues(report, "x-client-id"));
        Assert.Empty(HeaderValues(report, "x-api-key"));
        Assert.DoesNotContain(ApiKey, run["logs"]!.ToJsonString(), StringComparison.Ordinal);
    }

    private static JsonObject Request(string path, params (string Name, string Value)[] headers)
    {
        var list = new JsonArray(
            new JsonArray(":method", "GET"), new JsonArray(":path", path), new JsonArray(":authority", "shop.example"), new JsonArray(":scheme", "http"));
        foreach (var (name, value) in headers)
        {
            list.Add(new JsonArray(name, value));
        }

        return new JsonObject { ["headers"] = list, ["upstream"] = new JsonObject { ["status"] = 200, ["body"] = "ok" } };
    }

    private static List<string> HeaderValues(JsonArray headers, string name) =>
        headers.Where(h => (string)h![0]! == name).Select(h => (string)h![1]!).ToList();

    /// <summary>The HS256 key of the example's JWKS Secret.</summary>
    private static byte[] HmacKey(string jwks)
    {
        var k = (string)JsonNode.Parse(jwks)!["keys"]![0]!["k"]!;
        return Convert.FromBase64String(k.Replace('-', '+').Replace('_', '/') + new string('=', (4 - (k.Length % 4)) % 4));
    }

    private static string Token(byte[] key, string claims)
    {
        var input = B64("""{"alg":"HS256","kid":"demo","typ":"JWT"}""") + "." + B64(claims);
        return input + "." + B64(HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(input)));
    }

    private static string B64(string text) => B64(Encoding.UTF8.GetBytes(text));

    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
