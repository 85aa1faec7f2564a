using System.Text;
using EnvoyExt.DynamicModules.Sdk;
using EnvoyExt.DynamicModules.Testing;

namespace EnvoyExt.DynamicModules.Tests;

/// <summary>
/// The SDK's streaming-callout wrapper against the fake Envoy: what the filter sends (start with
/// headers and body, data, trailers, reset) and what it receives (headers, data, trailers, then
/// complete or reset), plus the barrier on the stream hooks.
/// </summary>
[Collection("EnvoyCallbacks")]
public sealed class StreamingCalloutTests : IDisposable
{
    private readonly StreamingFactory _factory = new();
    private readonly FakeEnvoy _envoy;

    public StreamingCalloutTests() => _envoy = new FakeEnvoy(_factory);

    public void Dispose() => _envoy.Dispose();

    private FakeStream Start(string script)
    {
        var stream = _envoy.NewStream(_envoy.CreateConfig("streaming", script));
        stream.RequestHeaders.Add(":method", "GET").Add(":path", "/");
        return stream;
    }

    [Fact]
    public void Start_sends_headers_and_body_then_data_and_trailers_end_the_request()
    {
        using var stream = Start("");

        Assert.Equal(HeadersStatus.StopAllIterationAndWatermark, stream.SendRequestHeaders());

        var call = Assert.Single(stream.HttpStreams);
        Assert.Equal("authz", call.Cluster);
        Assert.Equal(("content-type", "application/grpc"), call.Headers.Single(h => h.Name == "content-type"));
        Assert.Equal(5000UL, call.TimeoutMs);
        Assert.Equal("hello;more;", call.SentBody);
        Assert.Equal([("x-req-trailer", "t1")], call.SentTrailers);
        Assert.True(call.RequestEnded);
        Assert.True(_factory.Filter!.SendAfterTrailers is false); // the request side already ended
    }

    [Fact]
    public void Response_frames_reach_the_filter_in_order_and_complete_resumes_the_request()
    {
        using var stream = Start("");
        stream.SendRequestHeaders();
        var id = stream.HttpStreams[0].Id;

        stream.DeliverHttpStreamHeaders(id, false, (":status", "200"), ("content-type", "application/grpc"));
        stream.DeliverHttpStreamData(id, "part1", false);
        stream.DeliverHttpStreamData(id, "part2", false);
        stream.DeliverHttpStreamTrailers(id, ("grpc-status", "0"), ("grpc-message", "ok"));
        stream.DeliverHttpStreamComplete(id);

        var filter = _factory.Filter!;
        Assert.Equal(["headers:200", "data:part1", "data:part2", "trailers:0", "complete"], filter.Events);
        Assert.Equal(1, stream.ContinueDecodingCount);
        Assert.False(stream.HttpStreams[0].IsOpen);
        Assert.False(filter.SendAfterEnd); // the id is invalid once complete
    }

    [Fact]
    public void A_reset_by_the_filter_runs_the_reset_hook_inside_the_call()
    {
        using var stream = Start("reset-at-once");

        Assert.Equal(HeadersStatus.Continue, stream.SendRequestHeaders());

        Assert.Equal(["reset:LocalReset"], _factory.Filter!.Events);
        Assert.True(stream.HttpStreams[0].ResetByFilter);
        Assert.False(stream.HttpStreams[0].IsOpen);
    }

    [Fact]
    public void A_reset_from_Envoy_ends_the_stream_with_its_reason()
    {
        using var stream = Start("");
        stream.SendRequestHeaders();
        var id = stream.HttpStreams[0].Id;

        stream.DeliverHttpStreamHeaders(id, false, (":status", "200"));
        stream.DeliverHttpStreamReset(id, HttpStreamResetReason.ConnectionTermination);

        Assert.Equal(["headers:200", "reset:ConnectionTermination"], _factory.Filter!.Events);
    }

    [Fact]
    public void A_failed_start_reports_the_init_result_and_no_hook_follows()
    {
        using var stream = _envoy.NewStream(_envoy.CreateConfig("streaming", ""));
        stream.NextCalloutResult = HttpCalloutInitResult.ClusterNotFound;

        Assert.Equal(HeadersStatus.Continue, stream.SendRequestHeaders());

        Assert.Equal(HttpCalloutInitResult.ClusterNotFound, _factory.Filter!.InitResult);
        Assert.Empty(stream.HttpStreams);
        Assert.Empty(_factory.Filter.Events);
    }

    [Fact]
    public void An_exception_in_a_stream_hook_sends_500_before_the_response_started()
    {
        using var stream = Start("throw-on-data");
        stream.SendRequestHeaders();

        stream.DeliverHttpStreamData(stream.HttpStreams[0].Id, "boom", true);

        Assert.Equal(500u, stream.LocalReply!.Status);
        Assert.True(_envoy.LogContains("streaming: exception in http_stream_data"));
    }

    [Fact]
    public void One_shot_callouts_deliver_status_headers_and_body()
    {
        using var stream = Start("one-shot");
        stream.SendRequestHeaders();
        var callout = Assert.Single(stream.Callouts);
        Assert.Equal("authz", callout.Cluster);

        stream.CompleteCallout(callout.Id, HttpCalloutResult.Success, "allowed", (":status", "200"), ("x-decision", "allow"));

        Assert.Equal(["done:Success:200:allow:allowed"], _factory.Filter!.Events);
    }

    private sealed class StreamingFactory : HttpFilterFactory
    {
        public StreamingFilter? Filter { get; set; }

        public override string FilterName => "streaming";

        public override HttpFilterConfig? CreateConfig(FilterConfigContext context, ReadOnlySpan<byte> config, out string? error)
        {
            error = null;
            return new StreamingConfig(this, Encoding.UTF8.GetString(config));
        }
    }

    private sealed class StreamingConfig(StreamingFactory factory, string script) : HttpFilterConfig
    {
        public override HttpFilter CreateFilter() => factory.Filter = new StreamingFilter(script);
    }

    private sealed class StreamingFilter(string script) : HttpFilter
    {
        public List<string> Events { get; } = [];

        public HttpCalloutInitResult InitResult { get; private set; }

        public bool? SendAfterTrailers { get; private set; }

        public bool SendAfterEnd { get; private set; } = true;

        public override HeadersStatus OnRequestHeaders(HttpFilterContext ctx, bool endOfStream)
        {
            var headers = new HeaderList(stackalloc byte[256]);
            headers.Add(":method"u8, "POST"u8);
            headers.Add(":path"u8, "/authz.Check"u8);
            headers.Add(":authority"u8, "authz"u8);
            headers.Add("content-type"u8, "application/grpc"u8);
            if (script == "one-shot")
            {
                InitResult = ctx.StartHttpCallout("authz"u8, headers, "q"u8, 5000, out _);
                return HeadersStatus.StopAllIterationAndWatermark;
            }
            InitResult = ctx.StartHttpStream("authz"u8, headers, "hello;"u8, endOfStream: false, timeoutMs: 5000, out var id);
            if (InitResult != HttpCalloutInitResult.Success)
            {
                return HeadersStatus.Continue;
            }
            if (script == "reset-at-once")
            {
                ctx.ResetHttpStream(id);
                return HeadersStatus.Continue;
            }
            ctx.SendHttpStreamData(id, "more;"u8, endOfStream: false);
            var trailers = new HeaderList(stackalloc byte[64]);
            trailers.Add("x-req-trailer"u8, "t1"u8);
            ctx.SendHttpStreamTrailers(id, trailers);
            SendAfterTrailers = ctx.SendHttpStreamData(id, "late"u8, endOfStream: true);
            return HeadersStatus.StopAllIterationAndWatermark;
        }

        public override void OnHttpStreamHeaders(HttpFilterContext ctx, ulong streamId, CalloutHeaders headers, bool endOfStream)
        {
            headers.TryGet(":status"u8, out var status);
            Events.Add("headers:" + Encoding.UTF8.GetString(status));
        }

        public override void OnHttpStreamData(HttpFilterContext ctx, ulong streamId, CalloutBody data, bool endOfStream)
        {
            if (script == "throw-on-data")
            {
                throw new InvalidOperationException("scripted failure");
            }
            Span<byte> bytes = stackalloc byte[64];
            Events.Add("data:" + Encoding.UTF8.GetString(bytes[..data.CopyTo(bytes)]));
        }

        public override void OnHttpStreamTrailers(HttpFilterContext ctx, ulong streamId, CalloutHeaders trailers)
        {
            trailers.TryGet("grpc-status"u8, out var status);
            Events.Add("trailers:" + Encoding.UTF8.GetString(status));
        }

        public override void OnHttpStreamComplete(HttpFilterContext ctx, ulong streamId)
        {
            Events.Add("complete");
            SendAfterEnd = ctx.SendHttpStreamData(streamId, "late"u8, endOfStream: true);
            ctx.ContinueDecoding();
        }

        public override void OnHttpStreamReset(HttpFilterContext ctx, ulong streamId, HttpStreamResetReason reason) =>
            Events.Add("reset:" + reason);

        public override void OnHttpCalloutDone(HttpFilterContext ctx, ulong calloutId, HttpCalloutResult result, CalloutResponse response)
        {
            response.Headers.TryGet(":status"u8, out var status);
            response.TryGetHeader("x-decision"u8, out var decision);
            Span<byte> body = stackalloc byte[64];
            Events.Add($"done:{result}:{Encoding.UTF8.GetString(status)}:{Encoding.UTF8.GetString(decision)}:{Encoding.UTF8.GetString(body[..response.CopyBodyTo(body)])}");
        }
    }
}
