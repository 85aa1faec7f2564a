using System.Diagnostics;
using System.Globalization;
using EnvoyExt.DynamicModules.Sdk;
using EnvoyExt.DynamicModules.Testing;

namespace EnvoyExt.Filters.BandwidthLimit.Tests;

/// <summary>bandwidth_limit through the testing library's fake Envoy with the real timer: hold, release, directions, endings.</summary>
[Collection("FakeEnvoy")]
public sealed class BandwidthLimitFilterTests : IDisposable
{
    private readonly FakeEnvoy _envoy = new(new BandwidthLimitFilterFactory());
    private readonly List<FakeStream> _streams = [];

    public void Dispose()
    {
        foreach (var stream in _streams)
        {
            stream.Dispose();
        }
        _envoy.Dispose();
    }

    private FakeStream Start(FakeFilterConfig config, FakeRouteConfig? route = null)
    {
        var stream = _envoy.NewStream(config, route);
        _streams.Add(stream);
        stream.RequestHeaders.Add(":method", "POST").Add(":path", "/upload");
        Assert.Equal(HeadersStatus.Continue, stream.SendRequestHeaders(endOfStream: false));
        return stream;
    }

    // Runs scheduler events until the stream continued in the given direction, or the bound passes.
    private static TimeSpan RunUntilContinued(FakeStream stream, Func<FakeStream, int> continues, TimeSpan bound)
    {
        var clock = Stopwatch.StartNew();
        int before = continues(stream);
        while (continues(stream) == before && clock.Elapsed < bound)
        {
            if (stream.PendingCommits == 0)
            {
                Thread.Sleep(2);
            }
            stream.RunScheduled();
        }
        return clock.Elapsed;
    }

    [Fact]
    public void Frames_over_the_burst_are_held_and_released_at_the_rate()
    {
        // 8 KiB/s with a 20 ms burst (164 bytes): four 1 KiB frames are due after about 0.48 s.
        var config = _envoy.CreateConfig("bandwidth_limit", """{"name":"b","limitKiBps":8,"fillIntervalMs":20}""");
        var stream = Start(config);
        string frame = new('x', 1024);

        Assert.Equal(BodyStatus.StopIterationAndWatermark, stream.SendRequestBody(frame, endOfStream: false));
        Assert.Equal(BodyStatus.StopIterationAndWatermark, stream.SendRequestBody(frame, endOfStream: false));
        Assert.Equal(BodyStatus.StopIterationAndWatermark, stream.SendRequestBody(frame, endOfStream: false));
        Assert.Equal(BodyStatus.StopIterationAndWatermark, stream.SendRequestBody(frame, endOfStream: false));
        Assert.Equal(TrailersStatus.StopIteration, stream.SendRequestTrailers());
        Assert.Equal(1ul, _envoy.Metric("bandwidth_limit_waiting", "b"));

        var elapsed = RunUntilContinued(stream, s => s.ContinueDecodingCount, TimeSpan.FromSeconds(20));

        Assert.Equal(1, stream.ContinueDecodingCount);
        Assert.True(elapsed >= TimeSpan.FromMilliseconds(400), $"released after {elapsed}");
        Assert.Equal(4096ul, _envoy.Metric("bandwidth_limit_bytes", "b", "request"));
        Assert.Equal(1ul, _envoy.Metric("bandwidth_limit_held", "b", "request"));
        Assert.Equal(0ul, _envoy.Metric("bandwidth_limit_waiting", "b"));
    }

    [Fact]
    public void A_frame_within_the_burst_passes_and_an_unthrottled_direction_is_untouched()
    {
        var config = _envoy.CreateConfig("bandwidth_limit", """{"limitKiBps":1024,"direction":"response"}""");
        var stream = Start(config);

        Assert.Equal(BodyStatus.Continue, stream.SendRequestBody(new string('x', 1_000_000), endOfStream: true));
        Assert.Equal(HeadersStatus.Continue, stream.SendResponseHeaders(endOfStream: false));
        Assert.Equal(BodyStatus.Continue, stream.SendResponseBody(new string('y', 1000), endOfStream: false));
        Assert.Equal(BodyStatus.StopIterationAndWatermark, stream.SendResponseBody(new string('y', 200_000), endOfStream: true));
        RunUntilContinued(stream, s => s.ContinueEncodingCount, TimeSpan.FromSeconds(20));
        Assert.Equal(1, stream.ContinueEncodingCount);
        Assert.Equal(0, stream.ContinueDecodingCount);
    }

    [Fact]
    public void Two_streams_share_the_route_rate()
    {
        // The route's limit replaces the listener's: 16 KiB/s shared, 4 KiB each -> the second is due after about 0.45 s.
        var config = _envoy.CreateConfig("bandwidth_limit", """{"limitKiBps":1000000}""");
        var route = _envoy.CreateRouteConfig("bandwidth_limit", """{"name":"r","limitKiBps":16,"fillIntervalMs":50}""");
        var first = Start(config, route);
        var second = Start(config, route);

        var clock = Stopwatch.StartNew();
        Assert.Equal(BodyStatus.StopIterationAndWatermark, first.SendRequestBody(new string('a', 4096)));
        Assert.Equal(BodyStatus.StopIterationAndWatermark, second.SendRequestBody(new string('b', 4096)));
        RunUntilContinued(first, s => s.ContinueDecodingCount, TimeSpan.FromSeconds(20));
        RunUntilContinued(second, s => s.ContinueDecodingCount, TimeSpan.FromSeconds(20));
        var secondElapsed = clock.Elapsed;

        Assert.Equal(1, first.ContinueDecodingCount);
        Assert.Equal(1, second.ContinueDecodingCount);
        Assert.True(secondElapsed >= TimeSpan.FromMilliseconds(400), $"second released after {secondElapsed}");
        Assert.Equal(8192ul, _envoy.Metric("bandwidth_limit_bytes", "r", "request"));
    }

    [Fact]
    public void Trailers_that_arrive_while_the_response_is_held_get_the_delays_at_the_release()
    {
        // 8 KiB/s with a 20 ms burst: a 4 KiB response body is due after about 0.48 s.
        var config = _envoy.CreateConfig("bandwidth_limit",
            """{"limitKiBps":8,"fillIntervalMs":20,"direction":"response","responseTrailers":{"prefix":"x-bw"}}""");
        var stream = Start(config);
        Assert.Equal(HeadersStatus.Continue, stream.SendResponseHeaders(endOfStream: false));
        Assert.Equal(BodyStatus.StopIterationAndWatermark, stream.SendResponseBody(new string('y', 4096), endOfStream: false));
        stream.ResponseTrailers.Add("grpc-status", "0");
        Assert.Equal(TrailersStatus.StopIteration, stream.SendResponseTrailers());
        Assert.Null(stream.ResponseTrailers.Get("x-bw-bandwidth-response-filter-delay-ms"));

        RunUntilContinued(stream, s => s.ContinueEncodingCount, TimeSpan.FromSeconds(20));

        Assert.Equal(1, stream.ContinueEncodingCount);
        ulong filterDelay = ulong.Parse(stream.ResponseTrailers.Get("x-bw-bandwidth-response-filter-delay-ms")!, CultureInfo.InvariantCulture);
        ulong transfer = ulong.Parse(stream.ResponseTrailers.Get("x-bw-bandwidth-response-delay-ms")!, CultureInfo.InvariantCulture);
        Assert.InRange(filterDelay, 400ul, 20_000ul);
        Assert.InRange(transfer, filterDelay, 20_000ul);   // the transfer includes what the filter added
        Assert.Equal("0", stream.ResponseTrailers.Get("x-bw-bandwidth-request-delay-ms"));
        Assert.Equal("0", stream.ResponseTrailers.Get("x-bw-bandwidth-request-filter-delay-ms"));
        Assert.Equal("0", stream.ResponseTrailers.Get("grpc-status"));
    }

    [Fact]
    public void Trailers_after_a_released_response_get_the_delays_at_once_without_a_prefix()
    {
        var config = _envoy.CreateConfig("bandwidth_limit", """{"limitKiBps":8,"fillIntervalMs":20,"responseTrailers":{}}""");
        var stream = Start(config);
        Assert.Equal(HeadersStatus.Continue, stream.SendResponseHeaders(endOfStream: false));
        Assert.Equal(BodyStatus.StopIterationAndWatermark, stream.SendResponseBody(new string('y', 2048), endOfStream: false));
        RunUntilContinued(stream, s => s.ContinueEncodingCount, TimeSpan.FromSeconds(20));

        Assert.Equal(TrailersStatus.Continue, stream.SendResponseTrailers());
        Assert.InRange(ulong.Parse(stream.ResponseTrailers.Get("bandwidth-response-filter-delay-ms")!, CultureInfo.InvariantCulture), 150ul, 20_000ul);
    }

    [Theory]
    [InlineData("""{"limitKiBps":1024,"responseTrailers":{"prefix":"x-bw"}}""")]   // nothing was delayed
    [InlineData("""{"limitKiBps":8,"fillIntervalMs":20}""")]                         // held, but no trailers asked for
    public void No_trailers_without_a_delay_or_without_responseTrailers(string json)
    {
        var config = _envoy.CreateConfig("bandwidth_limit", json);
        var stream = Start(config);
        Assert.Equal(HeadersStatus.Continue, stream.SendResponseHeaders(endOfStream: false));
        if (stream.SendResponseBody(new string('y', 2048), endOfStream: false) != BodyStatus.Continue)
        {
            RunUntilContinued(stream, s => s.ContinueEncodingCount, TimeSpan.FromSeconds(20));
        }
        stream.ResponseTrailers.Add("grpc-status", "0");
        Assert.Equal(TrailersStatus.Continue, stream.SendResponseTrailers());
        Assert.Equal(["grpc-status"], stream.ResponseTrailers.Entries.Select(e => e.Name));
    }

    [Fact]
    public void A_stream_that_ends_while_held_leaves_the_timer()
    {
        var config = _envoy.CreateConfig("bandwidth_limit", """{"name":"b","limitKiBps":1}""");
        var stream = Start(config);
        Assert.Equal(BodyStatus.StopIterationAndWatermark, stream.SendRequestBody(new string('x', 60_000)));

        stream.Complete();
        stream.Dispose();

        Assert.Equal(0ul, _envoy.Metric("bandwidth_limit_waiting", "b"));
        Assert.Equal(0, stream.ContinueDecodingCount);
    }
}

[CollectionDefinition("FakeEnvoy", DisableParallelization = true)]
public sealed class FakeEnvoyCollection;
