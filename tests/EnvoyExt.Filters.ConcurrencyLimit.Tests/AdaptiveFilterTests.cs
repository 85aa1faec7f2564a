using EnvoyExt.DynamicModules.Sdk;
using EnvoyExt.DynamicModules.Testing;

namespace EnvoyExt.Filters.ConcurrencyLimit.Tests;

/// <summary>The adaptive limit through the filter and the fake Envoy, on a fake clock.</summary>
[Collection("FakeEnvoy")]
public sealed class AdaptiveFilterTests : IDisposable
{
    private readonly FakeClock _clock = new();
    private readonly FakeEnvoy _envoy;

    public AdaptiveFilterTests() => _envoy = new FakeEnvoy(new ConcurrencyLimitFilterFactory(_clock, static () => new Random(1)));

    public void Dispose() => _envoy.Dispose();

    [Fact]
    public void Queued_streams_are_admitted_as_the_limit_grows_and_nothing_stays_in_flight()
    {
        var config = _envoy.CreateConfig("concurrency_limit", """
            {"name":"a","maxConcurrentRequests":8,"queue":{"maxSize":100,"maxWaitMs":60000},
             "adaptive":{"minConcurrency":1,"minRttRequests":2,"sampleWindowMs":10}}
            """);
        var waiting = new List<FakeStream>();
        var admittedAtOnce = new HashSet<FakeStream>();
        for (int i = 0; i < 60; i++)
        {
            var stream = _envoy.NewStream(config);
            stream.RequestHeaders.Add(":method", "GET").Add(":path", "/");
            var status = stream.SendRequestHeaders();
            Assert.NotEqual(HeadersStatus.StopIteration, status);   // never a 503: the queue takes them
            waiting.Add(stream);
            if (status == HeadersStatus.Continue)
            {
                admittedAtOnce.Add(stream);
            }
        }

        ulong mostInFlight = 0;
        int rounds = 0;
        while (waiting.Count > 0 && rounds++ < 200)
        {
            foreach (var stream in waiting)
            {
                stream.RunScheduled();
            }
            var running = waiting.Where(s => s.ContinueDecodingCount > 0 || admittedAtOnce.Contains(s)).ToList();
            mostInFlight = Math.Max(mostInFlight, _envoy.Metric("concurrency_limit_in_flight", "a"));
            _clock.Advance(TimeSpan.FromMilliseconds(10));
            foreach (var stream in running)
            {
                stream.SendResponseHeaders();
                stream.Complete();
                stream.Dispose();
                waiting.Remove(stream);
            }
        }

        Assert.Empty(waiting);
        Assert.Equal(0ul, _envoy.Metric("concurrency_limit_in_flight", "a"));
        Assert.Equal(0ul, _envoy.Metric("concurrency_limit_queued", "a"));
        Assert.Equal(0ul, _envoy.Metric("concurrency_limit_rejected", "a", "full"));
        Assert.Equal(8ul, mostInFlight);                                      // grew from 1 to the maximum
        Assert.Equal(8ul, _envoy.Metric("concurrency_limit_limit", "a"));
        Assert.InRange(_envoy.Metric("concurrency_limit_min_rtt_us", "a"), 9_500ul, 10_500ul);
    }
}
