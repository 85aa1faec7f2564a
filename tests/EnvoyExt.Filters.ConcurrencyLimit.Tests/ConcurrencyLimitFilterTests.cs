using EnvoyExt.DynamicModules.Sdk;
using EnvoyExt.DynamicModules.Testing;

namespace EnvoyExt.Filters.ConcurrencyLimit.Tests;

/// <summary>concurrency_limit through the testing library's fake Envoy: limit, queue, timeout, release on every ending.</summary>
[Collection("FakeEnvoy")]
public sealed class ConcurrencyLimitFilterTests : IDisposable
{
    private readonly FakeEnvoy _envoy = new(new ConcurrencyLimitFilterFactory());
    private readonly List<FakeStream> _streams = [];

    public void Dispose()
    {
        foreach (var stream in _streams)
        {
            stream.Dispose();
        }
        _envoy.Dispose();
    }

    private FakeStream Start(FakeFilterConfig config, out HeadersStatus status, FakeRouteConfig? route = null)
    {
        var stream = _envoy.NewStream(config, route);
        _streams.Add(stream);
        stream.RequestHeaders.Add(":method", "GET").Add(":path", "/");
        status = stream.SendRequestHeaders();
        return stream;
    }

    private ulong InFlight(string limiter = "t") => _envoy.Metric("concurrency_limit_in_flight", limiter);

    private static void End(FakeStream stream)
    {
        stream.Complete();
        stream.Dispose();
    }

    // Scheduler commits come from the limiter's timer thread: wait for them with a generous bound.
    private static int RunScheduledWithin(FakeStream stream, TimeSpan bound)
    {
        var until = DateTime.UtcNow + bound;
        while (stream.PendingCommits == 0 && DateTime.UtcNow < until)
        {
            Thread.Sleep(5);
        }
        return stream.RunScheduled();
    }

    [Fact]
    public void Rejects_over_the_limit_without_a_queue_and_admits_again_after_release()
    {
        var config = _envoy.CreateConfig("concurrency_limit", """{"name":"t","maxConcurrentRequests":2}""");
        var a = Start(config, out var sa);
        var b = Start(config, out var sb);
        var c = Start(config, out var sc);

        Assert.Equal(HeadersStatus.Continue, sa);
        Assert.Equal(HeadersStatus.Continue, sb);
        Assert.Equal(HeadersStatus.StopIteration, sc);
        Assert.Equal(503u, c.LocalReply?.Status);
        Assert.Equal("full", c.LocalReply?.Header("x-envoyext-concurrency-limited"));
        Assert.Equal("concurrency_limited", c.LocalReply?.Details);
        Assert.Equal(2ul, InFlight());
        Assert.Equal(1ul, _envoy.Metric("concurrency_limit_rejected", "t", "full"));

        End(a);
        End(c);
        Assert.Equal(2ul, InFlight());     // 1 in flight: within the band of the 2 published at the limit
        var d = Start(config, out var sd);
        Assert.Equal(HeadersStatus.Continue, sd);
        Assert.Equal(2ul, InFlight());
        End(b);
        End(d);
        Assert.Equal(0ul, InFlight());
    }

    [Fact]
    public void The_in_flight_gauge_is_exact_at_zero_and_at_the_limit_and_within_the_band_between()
    {
        const int Limit = 200;
        var config = _envoy.CreateConfig("concurrency_limit", $$$"""{"name":"t","maxConcurrentRequests":{{{Limit}}}}""");
        var held = new List<FakeStream>();

        held.Add(Start(config, out _));
        Assert.Equal(0ul, InFlight());     // a lone request calls Envoy neither on admission nor on release
        End(held[0]);
        held.Clear();
        Assert.Equal(0ul, InFlight());

        for (int count = 1; count <= Limit; count++)
        {
            held.Add(Start(config, out var status));
            Assert.Equal(HeadersStatus.Continue, status);
            AssertWithinBand(count);
        }
        Assert.Equal((ulong)Limit, InFlight());
        Start(config, out var over);
        Assert.Equal(HeadersStatus.StopIteration, over);
        Assert.Equal((ulong)Limit, InFlight());

        // Released newest first down to one, then the last: every step within the band, the end exact.
        for (int count = Limit - 1; count >= 0; count--)
        {
            End(held[count]);
            held.RemoveAt(count);
            AssertWithinBand(count);
        }
        Assert.Equal(0ul, InFlight());

        void AssertWithinBand(int count)
        {
            ulong gauge = InFlight();
            Assert.True(Math.Abs(count - (long)gauge) < InFlightGauge.Band((int)gauge), $"{count} in flight, the gauge reads {gauge}");
            Assert.True(count != 0 || gauge == 0, $"nothing in flight, the gauge reads {gauge}");
        }
    }

    [Fact]
    public void Queued_streams_resume_in_arrival_order()
    {
        var config = _envoy.CreateConfig("concurrency_limit", """{"name":"t","maxConcurrentRequests":1,"queue":{"maxSize":2,"maxWaitMs":60000}}""");
        var first = Start(config, out _);
        var second = Start(config, out var s2);
        var third = Start(config, out var s3);
        var fourth = Start(config, out _);

        Assert.Equal(HeadersStatus.StopAllIterationAndWatermark, s2);
        Assert.Equal(HeadersStatus.StopAllIterationAndWatermark, s3);
        Assert.Equal(503u, fourth.LocalReply?.Status);
        Assert.Equal(2ul, _envoy.Metric("concurrency_limit_queued", "t"));

        End(first);
        Assert.Equal(0, third.PendingCommits);
        Assert.Equal(1, second.RunScheduled());
        Assert.Equal(1, second.ContinueDecodingCount);
        Assert.Equal(0, third.ContinueDecodingCount);

        End(second);
        Assert.Equal(1, third.RunScheduled());
        Assert.Equal(1, third.ContinueDecodingCount);
        Assert.Equal(1ul, InFlight());
        Assert.Equal(0ul, _envoy.Metric("concurrency_limit_queued", "t"));
        End(third);
        Assert.Equal(0ul, InFlight());
    }

    [Fact]
    public void A_waiter_past_its_maximum_wait_gets_a_503_from_the_timer()
    {
        var config = _envoy.CreateConfig("concurrency_limit", """{"name":"t","maxConcurrentRequests":1,"queue":{"maxSize":4,"maxWaitMs":30}}""");
        var holder = Start(config, out _);
        var waiter = Start(config, out var status);
        Assert.Equal(HeadersStatus.StopAllIterationAndWatermark, status);

        Assert.Equal(1, RunScheduledWithin(waiter, TimeSpan.FromSeconds(10)));

        Assert.Equal(503u, waiter.LocalReply?.Status);
        Assert.Equal("queue_timeout", waiter.LocalReply?.Header("x-envoyext-concurrency-limited"));
        Assert.Equal(0, waiter.ContinueDecodingCount);
        Assert.Equal(1ul, _envoy.Metric("concurrency_limit_rejected", "t", "queue_timeout"));
        End(waiter);
        Assert.Equal(1ul, InFlight());
        End(holder);
        Assert.Equal(0ul, InFlight());
    }

    [Fact]
    public void A_granted_waiter_destroyed_before_its_event_gives_the_slot_back()
    {
        var config = _envoy.CreateConfig("concurrency_limit", """{"name":"t","maxConcurrentRequests":1,"queue":{"maxSize":4,"maxWaitMs":60000}}""");
        var holder = Start(config, out _);
        var granted = Start(config, out _);
        var next = Start(config, out _);

        End(holder);               // grants `granted`, whose event is still pending
        Assert.Equal(1, granted.PendingCommits);
        End(granted);              // reset before the event ran: the slot passes on to `next`
        Assert.Equal(1, next.RunScheduled());
        Assert.Equal(1, next.ContinueDecodingCount);
        End(next);
        Assert.Equal(0ul, InFlight());
        Assert.Equal(0ul, _envoy.Metric("concurrency_limit_queued", "t"));
    }

    [Fact]
    public void A_queued_stream_that_is_reset_leaves_the_queue()
    {
        var config = _envoy.CreateConfig("concurrency_limit", """{"name":"t","maxConcurrentRequests":1,"queue":{"maxSize":1,"maxWaitMs":60000}}""");
        var holder = Start(config, out _);
        var leaving = Start(config, out _);
        End(leaving);
        var taking = Start(config, out var status);

        Assert.Equal(HeadersStatus.StopAllIterationAndWatermark, status);
        End(holder);
        Assert.Equal(1, taking.RunScheduled());
        Assert.Equal(1, taking.ContinueDecodingCount);
        End(taking);
        Assert.Equal(0ul, InFlight());
    }

    [Fact]
    public void A_route_limit_is_separate_from_the_listener_limit()
    {
        var config = _envoy.CreateConfig("concurrency_limit", """{"name":"t","maxConcurrentRequests":1}""");
        var route = _envoy.CreateRouteConfig("concurrency_limit", """{"name":"r","maxConcurrentRequests":1}""");
        Start(config, out var listener1);
        Start(config, out var routed1, route);
        Start(config, out var routed2, route);

        Assert.Equal(HeadersStatus.Continue, listener1);
        Assert.Equal(HeadersStatus.Continue, routed1);
        Assert.Equal(HeadersStatus.StopIteration, routed2);
        Assert.Equal(1ul, InFlight("r"));
    }

    [Fact]
    public void A_route_limit_applies_once_created_and_the_listener_limit_again_once_destroyed()
    {
        var config = _envoy.CreateConfig("concurrency_limit", """{"name":"t","maxConcurrentRequests":1}""");
        var listener = Start(config, out var first);       // no route documents yet: the lookup is skipped
        var route = _envoy.CreateRouteConfig("concurrency_limit", """{"name":"r","maxConcurrentRequests":1}""");
        var routed = Start(config, out var onRoute, route);
        End(routed);
        _envoy.DestroyRouteConfig(route);
        Start(config, out var afterRoute);

        Assert.Equal(HeadersStatus.Continue, first);
        Assert.Equal(HeadersStatus.Continue, onRoute);      // its own limit, though the listener's is full
        Assert.Equal(HeadersStatus.StopIteration, afterRoute);
        End(listener);
        Assert.Equal(0ul, InFlight("t"));
        Assert.Equal(0ul, InFlight("r"));
    }

    [Fact]
    public void Many_streams_with_resets_and_local_replies_end_with_nothing_in_flight()
    {
        var config = _envoy.CreateConfig("concurrency_limit", """{"name":"t","maxConcurrentRequests":3,"queue":{"maxSize":5,"maxWaitMs":60000}}""");
        var random = new Random(7);
        var open = new List<FakeStream>();
        for (int i = 0; i < 2000; i++)
        {
            open.Add(Start(config, out _));
            foreach (var stream in open)
            {
                stream.RunScheduled();
            }
            if (open.Count > 6 || random.Next(3) == 0)
            {
                var victim = open[random.Next(open.Count)];
                open.Remove(victim);
                switch (random.Next(3))
                {
                    case 0: victim.SendLocalReplyNotice(500, "other_filter"); break;
                    case 1: victim.SendResponseHeaders(); break;
                    default: break;     // reset: complete without a response
                }
                End(victim);
            }
            Assert.InRange(InFlight(), 0ul, 3ul);
        }
        foreach (var stream in open)
        {
            End(stream);
        }
        Assert.Equal(0ul, InFlight());
        Assert.Equal(0ul, _envoy.Metric("concurrency_limit_queued", "t"));
    }
}

/// <summary>Fake Envoys install the SDK's process-wide callback table: keep these tests serial.</summary>
[CollectionDefinition("FakeEnvoy", DisableParallelization = true)]
public sealed class FakeEnvoyCollection;
