using System.Text.Json.Nodes;
using EnvoyExt.Module.IntegrationTests.Harness;

namespace EnvoyExt.Module.IntegrationTests;

/// <summary>
/// The host benchmark measures ext_auth's gRPC mode against the C baseline's bare gRPC callout
/// (ext_auth_callout with "protocol": "grpc"). That is the same round trip only if both send the same
/// CheckRequest: for every gRPC ext_auth configuration of bench/host-bench.json, the check each module
/// sends to a real Authorization service (Grpc.AspNetCore) must decode to the same message, and the
/// service's OK answer must let the request through in both.
/// </summary>
public sealed class ExtAuthBaselineEquivalenceTests : IAsyncLifetime
{
    private readonly HostRunner _host = HostRunner.Production();
    private GrpcAuthServer _server = null!;

    public static TheoryData<string> GrpcConfigurations()
    {
        var data = new TheoryData<string>();
        foreach (var c in Configurations())
        {
            if ((string?)c["filter"] == "ext_auth" && (string?)c["config"]?["protocol"] == "grpc")
            {
                data.Add((string)c["name"]!);
            }
        }
        return data;
    }

    // The first RPC of a fresh server (JIT) can take longer than a benchmark check's timeout.
    public Task InitializeAsync()
    {
        _server = new GrpcAuthServer();
        var warmUp = _host.Run(new Scenario(
            [new FilterSpec("ext_auth", """{"protocol":"grpc","cluster":"authz","timeoutMs":30000}""")], [RequestSpec.Get("/warm-up")],
            Clusters: new Dictionary<string, string> { ["authz"] = _server.ClusterSpec }));
        Assert.True(Assert.Single(warmUp.Results).UpstreamRequest is not null, warmUp.Describe());
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [MemberData(nameof(GrpcConfigurations))]
    public void The_bare_gRPC_callout_sends_ext_auths_CheckRequest(string name)
    {
        var c = Configurations().Single(x => (string?)x["name"] == name);
        var baselineDir = Environment.GetEnvironmentVariable("ENVOYEXT_BASELINE_DIR")
            ?? Path.Combine(HostRunner.RepoRoot(), "build", "native", "lib");

        var csharp = Run(c, "ext_auth", c["config"]!, _host.ModuleName, environment: null);
        var baseline = Run(c, (string)c["baseline"]!["filter"]!, c["baseline"]!["config"]!, "cbaseline",
            new Dictionary<string, string?> { ["ENVOY_DYNAMIC_MODULES_SEARCH_PATH"] = baselineDir });

        Assert.True(Assert.Single(csharp.Results).UpstreamRequest is not null, csharp.Describe());
        Assert.True(Assert.Single(baseline.Results).UpstreamRequest is not null, baseline.Describe());
        var seen = _server.Seen;
        Assert.Equal(2, seen.Count);
        Assert.Equal("/bench/resource", seen[0].Attributes.Request.Http.Path);
        Assert.Equal(seen[0], seen[1]);
    }

    private static IEnumerable<JsonNode> Configurations()
    {
        var file = Path.Combine(HostRunner.RepoRoot(), "bench", "host-bench.json");
        return JsonNode.Parse(File.ReadAllText(file))!["configurations"]!.AsArray().Select(n => n!);
    }

    // The configuration's request, its clusters pointed at the test's service.
    private HostResult Run(JsonNode c, string filter, JsonNode config, string module, IReadOnlyDictionary<string, string?>? environment)
    {
        var headers = (c["request_headers"]?.AsArray() ?? []).Select(h => ((string)h![0]!, (string)h[1]!)).ToArray();
        var clusters = c["clusters"]!.AsObject().ToDictionary(kv => kv.Key, _ => _server.ClusterSpec);
        var scenario = new Scenario(
            [new FilterSpec(filter, config.ToJsonString(), module)], [RequestSpec.Get("/bench/resource", headers)],
            Clusters: clusters, ModuleName: module);
        var result = _host.Run(scenario, environment);
        Assert.True(result.ProgramInit.Loaded, result.Describe());
        return result;
    }
}
