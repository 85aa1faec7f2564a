using EnvoyExt.Filters.RateLimit.Tests.Support;
using EnvoyExt.Module.IntegrationTests.Harness;

namespace EnvoyExt.Module.IntegrationTests;

/// <summary>
/// Global rate_limit rules through the real NativeAOT module: two ABI-host processes (two Envoys) with two
/// workers each share one real redis-server, so StackExchange.Redis, the lease script and the scheduler
/// resume all run as in production.
/// </summary>
public sealed class GlobalRateLimitEndToEndTests : IDisposable
{
    private const int Workers = 2;
    private readonly RedisServer _redis = new();

    public void Dispose() => _redis.Dispose();

    private string Config(long requests, long batch, bool failOpen = true, string? address = null) => $$$"""
        {"name":"default/api","global":{"redis":{"addresses":["{{{address ?? _redis.Address}}}"],"timeoutMs":5000},
          "batch":{{{batch}}},"failOpen":{{{(failOpen ? "true" : "false")}}}},
         "rules":[{"name":"per-user","type":"Global","clientSelectors":[{"headers":[{"name":"x-user","type":"Distinct"}]}],
          "limit":{"requests":{{{requests}}},"unit":"Minute"}}]}
        """;

    private static Scenario Burst(string config, int count, string user) => new(
        [new FilterSpec("rate_limit", config)],
        [.. Enumerable.Range(0, count).Select(i => RequestSpec.Get("/api", ("x-user", user)) with { Worker = i % Workers })],
        Workers: Workers);

    private static bool Passed(RequestResult r) => r.LocalReply is null && r.DownstreamResponse?.Status == 200;

    /// <summary>Runs both host processes at the same time.</summary>
    private static HostResult[] RunTogether(Scenario scenario)
    {
        var runs = Enumerable.Range(0, 2).Select(_ => Task.Run(() => HostRunner.Production().Run(scenario))).ToArray();
        Task.WaitAll(runs);
        return [.. runs.Select(r => r.Result)];
    }

    [Fact]
    public void Two_envoys_let_exactly_a_small_limit_through()
    {
        var results = RunTogether(Burst(Config(5, 100), 8, "alice"));

        foreach (var result in results)
        {
            Assert.True(result.ProgramInit.Loaded, result.Describe());
            Assert.Empty(result.ConfigErrors);
            Assert.All(result.Results.Where(r => !Passed(r)), r => Assert.Equal(429, r.LocalReply!.Status));
            Assert.Equal(0.0, result.Metric("rate_limit_global_fail_open", ("policy", "default/api"), ("rule", "per-user")) ?? 0);
        }
        Assert.Equal(5, results.Sum(r => r.Results.Count(Passed)));
    }

    [Fact]
    public void Two_envoys_stay_within_replicas_times_batch_of_a_large_limit()
    {
        const int Limit = 200;
        const int Batch = 20;
        var results = RunTogether(Burst(Config(Limit, Batch), 150, "bob"));

        int passed = results.Sum(r => r.Results.Count(Passed));
        Assert.InRange(passed, Limit - (2 * Batch), Limit);
        // What Redis granted in total: never past the limit, and every pass was granted.
        var granted = _redis.Command(
            "EVAL \"local s = 0 for _, k in ipairs(redis.call('KEYS', '*')) do s = s + tonumber(redis.call('GET', k)) end return s\" 0")!;
        Assert.InRange(long.Parse(granted.TrimStart(':'), System.Globalization.CultureInfo.InvariantCulture), passed, Limit);
    }

    [Fact]
    public void Without_redis_fail_closed_answers_503_and_fail_open_uses_the_local_limit()
    {
        string nowhere = $"127.0.0.1:{RedisServer.FreePort()}";

        var closed = HostRunner.Production().Run(Burst(Config(3, 10, failOpen: false, address: nowhere), 4, "carol"));
        Assert.Empty(closed.ConfigErrors);
        Assert.All(closed.Results, r =>
        {
            Assert.Equal(503, r.LocalReply!.Status);
            Assert.Equal("rate_limit_global_unavailable", r.LocalReply.Details);
        });

        var open = HostRunner.Production().Run(Burst(Config(3, 10, failOpen: true, address: nowhere), 5, "carol"));
        Assert.Equal(3, open.Results.Count(Passed));
        Assert.Equal(2, open.Results.Count(r => r.LocalReply?.Status == 429));
    }
}
