using System.Text.Json.Nodes;
using EnvoyExt.Module.IntegrationTests.Harness;

namespace EnvoyExt.Module.IntegrationTests;

/// <summary>
/// The host benchmark compares the C# filters with the C baseline (bench/native/baseline) on the same
/// configurations (bench/host-bench.json). That comparison is fair only if both do the same work, so for
/// every benchmarked rate_limit configuration the same requests through both modules must give the same
/// responses (status, headers in order, body, local-reply details) and the same counters.
/// </summary>
public class BaselineEquivalenceTests
{
    private readonly HostRunner _host = HostRunner.Production();

    public static TheoryData<string> RateLimitConfigurations()
    {
        var data = new TheoryData<string>();
        foreach (var c in Configurations())
        {
            if ((string?)c["filter"] == "rate_limit" && MeasuredAgainstC(c))
            {
                data.Add((string)c["name"]!);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(RateLimitConfigurations))]
    public void The_C_baseline_answers_and_counts_like_the_CSharp_filter(string name)
    {
        var c = Configurations().Single(x => (string?)x["name"] == name);
        var csharp = Run(c, _host.ModuleName, environment: null);
        var baselineDir = Environment.GetEnvironmentVariable("ENVOYEXT_BASELINE_DIR")
            ?? Path.Combine(HostRunner.RepoRoot(), "build", "native", "lib");
        var baseline = Run(c, "cbaseline", new Dictionary<string, string?> { ["ENVOY_DYNAMIC_MODULES_SEARCH_PATH"] = baselineDir });

        Assert.Empty(csharp.ConfigErrors);
        Assert.Empty(baseline.ConfigErrors);
        Assert.Equal(Observed(csharp), Observed(baseline));
        Assert.Equal(Counters(csharp), Counters(baseline));
    }

    // "baseline" absent or "c"; an object names a C# twin configuration (e.g. a Global rule's Local twin).
    private static bool MeasuredAgainstC(JsonNode c) => c["baseline"] switch
    {
        null => true,
        JsonValue v => v.TryGetValue<string>(out var kind) && kind == "c",
        _ => false,
    };

    private static IEnumerable<JsonNode> Configurations()
    {
        var file = Path.Combine(HostRunner.RepoRoot(), "bench", "host-bench.json");
        return JsonNode.Parse(File.ReadAllText(file))!["configurations"]!.AsArray().Select(n => n!);
    }

    private HostResult Run(JsonNode c, string module, IReadOnlyDictionary<string, string?>? environment)
    {
        var path = c["route_config"] is null ? "/bench/resource" : "/route/resource";
        var headers = (c["request_headers"]?.AsArray() ?? [])
            .Select(h => ((string)h![0]!, (string)h[1]!))
            .ToArray();
        var requests = new List<RequestSpec>();
        // Three rounds: enough for a limit of 1 to start limiting and for Distinct values to repeat.
        for (int round = 0; round < 3; round++)
        {
            if (c["distinct_header"] is { } distinct)
            {
                for (int v = 0; v < 3; v++)
                {
                    requests.Add(RequestSpec.Get(path, [.. headers, ((string)distinct["name"]!, $"client-{v}")]));
                }
            }
            else
            {
                requests.Add(RequestSpec.Get(path, headers));
            }
        }
        var routes = c["route_config"] is { } rc
            ? new[] { new RouteSpec("route", "/route/", new Dictionary<string, string> { ["rate_limit"] = rc.ToJsonString() }) }
            : null;
        var scenario = new Scenario(
            [new FilterSpec("rate_limit", c["config"]!.ToJsonString(), module)], requests, routes, ModuleName: module);
        var result = _host.Run(scenario, environment);
        Assert.True(result.ProgramInit.Loaded, result.Describe());
        return result;
    }

    // Seconds until the window resets depend on when each run started; their presence must match.
    private static readonly HashSet<string> TimeDependent = ["x-ratelimit-reset", "retry-after"];

    private static List<string> Observed(HostResult r) =>
        [.. r.Results.Select(x =>
            $"{x.DownstreamResponse?.Status} {x.LocalReply?.Details} [{string.Join("; ", x.DownstreamResponse!.Headers.Entries.Select(h => TimeDependent.Contains(h.Name) ? h.Name : $"{h.Name}: {h.Value}"))}] {x.DownstreamResponse.Body}")];

    private static List<string> Counters(HostResult r) =>
        [.. r.Metrics.Where(m => m.Type == "counter")
            .Select(m => $"{m.Name} {string.Join(",", m.Labels.OrderBy(l => l.Key).Select(l => $"{l.Key}={l.Value}"))} {m.Value}")
            .Order(StringComparer.Ordinal)];
}
