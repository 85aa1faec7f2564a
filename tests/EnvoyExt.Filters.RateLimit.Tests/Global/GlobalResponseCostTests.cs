using System.Diagnostics;
using EnvoyExt.DynamicModules.Sdk;
using EnvoyExt.DynamicModules.Testing;
using EnvoyExt.Filters.RateLimit.Tests.Support;

namespace EnvoyExt.Filters.RateLimit.Tests.Global;

/// <summary>
/// Response costs on Global rules against a real redis-server: the excess is spent from the local lease and the
/// rest is owed to Redis at once, so every process sees it; two filter configs stand for two Envoy processes.
/// </summary>
[Collection("FakeEnvoy")]
public sealed class GlobalResponseCostTests : IDisposable
{
    private static readonly TimeSpan ReplyWait = TimeSpan.FromSeconds(10);
    private readonly RedisServer _redis = new();
    private readonly FakeEnvoy _envoy = new(new RateLimitFilterFactory());

    public void Dispose()
    {
        _envoy.Dispose();
        _redis.Dispose();
    }

    private string Config(long requests, string prefix) => $$$"""
        {"name":"default/llm","global":{"redis":{"addresses":["{{{_redis.Address}}}"],"keyPrefix":"{{{prefix}}}","timeoutMs":2000},"batch":100},
         "rules":[{"name":"tokens","type":"Global","shared":"org-quota","limit":{"requests":{{{requests}}},"unit":"Hour"},
          "costFrom":{"bodyField":"usage.total_tokens"}}]}
        """;

    /// <summary>One exchange whose upstream reports <paramref name="tokens"/>: 200 when it went upstream, else the local reply's status.</summary>
    private uint Send(FakeFilterConfig config, int tokens)
    {
        using var stream = _envoy.NewStream(config);
        stream.RequestHeaders.Add(":method", "POST").Add(":path", "/v1/chat").Add(":authority", "example.com");
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
            if (stream.ContinueDecodingCount == 0)
            {
                return stream.LocalReply!.Status;
            }
        }
        else if (status != HeadersStatus.Continue)
        {
            return stream.LocalReply!.Status;
        }
        stream.ResponseHeaders.Add(":status", "200");
        stream.SendResponseHeaders(endOfStream: false);
        stream.SendResponseBody($$$"""{"usage":{"total_tokens":{{{tokens}}}}}""");
        stream.Complete();
        return 200;
    }

    private long RedisCount(string prefix)
    {
        var reply = _redis.Command($"EVAL \"local k = redis.call('KEYS', '{prefix}:*')[1]; return tonumber(redis.call('GET', k))\" 0")!;
        return long.Parse(reply.TrimStart(':'), System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public void A_response_cost_is_owed_to_redis_and_limits_every_process()
    {
        var first = _envoy.CreateConfig("rate_limit", Config(10, "rc"));
        var second = _envoy.CreateConfig("rate_limit", Config(10, "rc"));

        // 9 of 10 tokens: 1 up front, 8 after the response (the lease held 2, the other 7 are owed and leased at once).
        Assert.Equal(200u, Send(first, 9));
        var waited = Stopwatch.StartNew();
        while (RedisCount("rc") < 9)
        {
            Assert.True(waited.Elapsed < ReplyWait, "the debt never reached Redis");
            Thread.Sleep(5);
        }

        // One token is left for both processes together.
        var statuses = new[] { Send(second, 0), Send(second, 0), Send(first, 0) };
        Assert.Equal(1, statuses.Count(s => s == 200));
        Assert.All(statuses.Where(s => s != 200), s => Assert.Equal(429u, s));
        Assert.Equal(10, RedisCount("rc"));
        // A shared Global bucket's key is named after the shared name, not the policy.
        Assert.StartsWith("rc:@shared:org-quota:", _redis.Command("KEYS rc:*"), StringComparison.Ordinal);
    }
}
