using System.Diagnostics;
using EnvoyExt.DynamicModules.Sdk;
using EnvoyExt.DynamicModules.Testing;
using EnvoyExt.Filters.RateLimit.Tests.Support;

namespace EnvoyExt.Filters.RateLimit.Tests.Global;

/// <summary>
/// Global rules through the SDK adapter against a real redis-server: two filter configs stand for two Envoy
/// processes (each has its own connection and local buckets), sharing one Redis.
/// </summary>
[Collection("FakeEnvoy")]
public sealed class GlobalRuleTests : IDisposable
{
    private static readonly TimeSpan ReplyWait = TimeSpan.FromSeconds(10);
    private readonly RedisServer _redis = new();
    private readonly FakeEnvoy _envoy = new(new RateLimitFilterFactory());

    public void Dispose()
    {
        _envoy.Dispose();
        _redis.Dispose();
    }

    private static string Config(string address, long requests, string unit = "Minute", bool failOpen = true,
        long batch = 100, int timeoutMs = 2000, string prefix = "t", string extraRedis = "") => $$$"""
        {"name":"default/api","global":{"redis":{"addresses":["{{{address}}}"],"keyPrefix":"{{{prefix}}}","timeoutMs":{{{timeoutMs}}}{{{extraRedis}}}},
          "batch":{{{batch}}},"failOpen":{{{(failOpen ? "true" : "false")}}}},
         "rules":[{"name":"per-user","type":"Global","clientSelectors":[{"headers":[{"name":"x-user","type":"Distinct"}]}],
          "limit":{"requests":{{{requests}}},"unit":"{{{unit}}}"}}]}
        """;

    /// <summary>Sends one request and lets it finish: 200 when it went upstream, else the local reply's status.</summary>
    private uint Send(FakeFilterConfig config, string user)
    {
        using var stream = _envoy.NewStream(config);
        stream.RequestHeaders.Add(":method", "GET").Add(":path", "/api").Add(":authority", "example.com").Add("x-user", user);
        var status = stream.SendRequestHeaders();
        if (status == HeadersStatus.StopAllIterationAndWatermark)
        {
            var waited = Stopwatch.StartNew();
            while (stream.PendingCommits == 0)
            {
                Assert.True(waited.Elapsed < ReplyWait, "the lease never resumed the stream");
                Thread.Sleep(1);
            }
            stream.RunScheduled();
            return stream.ContinueDecodingCount > 0 ? 200 : stream.LocalReply!.Status;
        }
        return status == HeadersStatus.Continue ? 200 : stream.LocalReply!.Status;
    }

    [Fact]
    public void Two_processes_share_a_small_limit_exactly()
    {
        var first = _envoy.CreateConfig("rate_limit", Config(_redis.Address, 5));
        var second = _envoy.CreateConfig("rate_limit", Config(_redis.Address, 5));

        var statuses = Enumerable.Range(0, 12).Select(i => Send(i % 2 == 0 ? first : second, "alice")).ToList();

        Assert.Equal(0UL, _envoy.Metric("rate_limit_global_fail_open", "default/api", "per-user"));
        Assert.Equal(5, statuses.Count(s => s == 200));
        Assert.All(statuses.Where(s => s != 200), s => Assert.Equal(429u, s));
        // Another user has its own global bucket.
        Assert.Equal(200u, Send(second, "bob"));
    }

    [Fact]
    public void A_large_limit_is_spent_locally_from_batches_within_the_documented_bound()
    {
        const int limit = 1000;
        const int batch = 50;
        var first = _envoy.CreateConfig("rate_limit", Config(_redis.Address, limit, batch: batch));
        var second = _envoy.CreateConfig("rate_limit", Config(_redis.Address, limit, batch: batch));

        int allowed = 0;
        for (int i = 0; i < 1200; i++)
        {
            allowed += Send(i % 2 == 0 ? first : second, "carol") == 200 ? 1 : 0;
        }

        // Redis never grants past the limit; tokens leased by one process and unused are the only loss (bound: 2 x batch).
        Assert.InRange(allowed, limit - (2 * batch), limit);
        double waits = _envoy.Metric("rate_limit_global_lease_waits", "default/api", "per-user");
        Assert.InRange(waits, 2, 1200 / 4);
    }

    [Fact]
    public void Keys_expire_with_their_window()
    {
        var config = _envoy.CreateConfig("rate_limit", Config(_redis.Address, 10, unit: "Second", prefix: "exp"));
        Assert.Equal(200u, Send(config, "dave"));

        var keys = _redis.Command("KEYS exp:*")!.Split('\n');
        var key = Assert.Single(keys);
        // prefix:policy:rule:<Distinct values, length-prefixed bytes>:<window number>
        Assert.StartsWith("exp:default/api:per-user:", key, StringComparison.Ordinal);
        Assert.Contains("dave:", key, StringComparison.Ordinal);
        // The key holds binary bytes, so it is addressed from a script rather than typed inline.
        var ttl = _redis.Command("EVAL \"return redis.call('PTTL', redis.call('KEYS', 'exp:*')[1])\" 0")!;
        Assert.InRange(long.Parse(ttl.TrimStart(':'), System.Globalization.CultureInfo.InvariantCulture), 1, 1000 + 1000);
        var waited = Stopwatch.StartNew();
        while (_redis.Command("KEYS exp:*") is { Length: > 0 } left && left != "*0" && left != "")
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(5), "the key did not expire");
            Thread.Sleep(50);
        }
    }

    [Fact]
    public void Redis_down_fails_open_to_the_local_limit_then_recovers()
    {
        var config = _envoy.CreateConfig("rate_limit", Config(_redis.Address, 3, timeoutMs: 200));
        Assert.Equal(200u, Send(config, "erin"));

        _redis.Stop();
        // The next lease fails (timeout or connection loss); afterwards the local fallback (3 per minute) decides.
        var statuses = Enumerable.Range(0, 5).Select(_ => Send(config, "frank")).ToList();
        Assert.Equal([200u, 200u, 200u, 429u, 429u], statuses);
        Assert.True(_envoy.Metric("rate_limit_global_fail_open", "default/api", "per-user") >= 3);

        _redis.Start();
        WaitUntil(() => Send(config, "grace") == 200 && _redis.Command("KEYS t:*grace*") is { Length: > 0 });
    }

    [Fact]
    public void Redis_down_fails_closed_with_the_failure_status()
    {
        var config = _envoy.CreateConfig("rate_limit", Config(_redis.Address, 3, failOpen: false, timeoutMs: 200));
        // The connection is made in the background; until it is up, fail-closed answers 503.
        WaitUntil(() => Send(config, "heidi") == 200);

        _redis.Stop();
        Assert.Equal(503u, Send(config, "ivan"));
        Assert.Equal(503u, Send(config, "ivan"));
        Assert.True(_envoy.Metric("rate_limit_global_fail_closed", "default/api", "per-user") >= 2);

        _redis.Start();
        WaitUntil(() => Send(config, "judy") == 200);
    }

    [Fact]
    public void A_slow_redis_never_holds_the_worker_and_the_wait_is_bounded_by_the_timeout()
    {
        using var proxy = new DelayingProxy(_redis.Port, TimeSpan.Zero);
        var config = _envoy.CreateConfig("rate_limit", Config(proxy.Address, 100, failOpen: false, timeoutMs: 150, batch: 1));
        // The connection handshake runs in the background; until it is done, requests get the failure mode.
        WaitUntil(() => Send(config, "ken") == 200);

        proxy.Delay = TimeSpan.FromSeconds(2);
        using var stream = _envoy.NewStream(config);
        stream.RequestHeaders.Add(":method", "GET").Add(":path", "/api").Add(":authority", "example.com").Add("x-user", "ken");
        var clock = Stopwatch.StartNew();
        Assert.Equal(HeadersStatus.StopAllIterationAndWatermark, stream.SendRequestHeaders());
        Assert.True(clock.Elapsed < TimeSpan.FromMilliseconds(100), $"the request hook took {clock.Elapsed}");
        while (stream.PendingCommits == 0)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), "the wait was not bounded by the timeout");
            Thread.Sleep(1);
        }
        stream.RunScheduled();
        Assert.Equal(503u, stream.LocalReply!.Status);
        Assert.Equal("rate_limit_global_unavailable", stream.LocalReply.Details);
    }

    [Fact]
    public void The_password_comes_from_a_generic_secret()
    {
        Assert.Equal("+OK", _redis.Command("CONFIG SET requirepass s3cret"));
        _envoy.SetSecret("redis-password", "s3cret\n");
        var config = _envoy.CreateConfig("rate_limit",
            Config(_redis.Address, 2, failOpen: false, extraRedis: ""","passwordSecret":"redis-password" """));

        Assert.Equal([200u, 200u, 429u], Enumerable.Range(0, 3).Select(_ => Send(config, "mallory")).ToList());
    }

    private static void WaitUntil(Func<bool> condition)
    {
        var waited = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(20), "no recovery within 20 s");
            Thread.Sleep(100);
        }
    }
}
