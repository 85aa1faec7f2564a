using System.Text;
using EnvoyExt.DynamicModules.Sdk;

namespace EnvoyExt.TestModule.Diagnostics;

/// <summary>
/// Test-only filter that turns request headers into callback calls and reports what it saw in response
/// headers, so an integration test can check each callback end to end.
/// <list type="bullet">
/// <item>x-probe-local-reply: STATUS -> local reply (header x-probe-local: yes, body, details)</item>
/// <item>x-probe-set: V -> request header x-probe-was-set: V; x-probe-add: V -> adds x-probe-multi: V;
///   x-probe-remove: NAME -> removes request header NAME; x-probe-resp-remove: NAME -> removes response header NAME</item>
/// <item>x-probe-invalid-value: any -> tries to set a value with CR/LF (reported as x-probe-invalid-rejected)</item>
/// <item>x-probe-async: any -> a thread-pool thread commits the stream's scheduler; resumes in OnScheduled</item>
/// <item>x-probe-callout: CLUSTER -> GET /probe-callout on CLUSTER; status and body come back as headers</item>
/// <item>x-probe-stream: CLUSTER -> a streaming callout POST /probe-stream on CLUSTER (see AbiProbeFilter.Streaming.cs)</item>
/// <item>x-probe-req-body-append / -replace: TEXT, x-probe-resp-body-append: TEXT -> body edits at end of stream</item>
/// <item>x-probe-trailer-set: V -> request trailer x-probe-trailer: V and removes trailer x-remove-me; the number of
///   request trailers comes back as x-probe-request-trailer-count</item>
/// <item>x-probe-resp-trailer-remove: NAME -> removes response trailer NAME; every response gets trailer
///   x-probe-resp-trailer: 1 and x-probe-resp-trailer-seen: the upstream's trailer count</item>
/// <item>x-probe-gc: any -> a blocking compacting GC in request headers and again in response headers, to show
///   that no managed object Envoy points at (filters, configs, pooled buffers) moves or dies under it</item>
/// </list>
/// Every hook increments abi_probe_hook_calls{hook=...}; requests are counted by method.
/// </summary>
internal sealed partial class AbiProbeFilter(AbiProbeConfig config) : HttpFilter
{
    public const ulong AsyncEventId = 7;

    private readonly ByteSlot _respRemove = new();
    private readonly ByteSlot _respBodyAppend = new();
    private readonly ByteSlot _reqBodyAppend = new();
    private readonly ByteSlot _reqBodyReplace = new();
    private readonly ByteSlot _trailerSet = new();
    private readonly ByteSlot _respTrailerRemove = new();
    private int _requestTrailerCount = -1;
    private readonly ByteSlot _sourceAddress = new();
    private readonly ByteSlot _multiValues = new();
    private readonly ByteSlot _calloutStatus = new();
    private readonly ByteSlot _calloutBody = new();
    private AbiProbeRouteConfig? _route;
    private int _multiCount;
    private int _headerSize;
    private int _enumerated;
    private ulong _sourcePort;
    private bool _hasSourcePort;
    private bool _invalidTried;
    private bool _invalidRejected;
    private bool _activeCounted;
    private long _requestBodyBytes;
    private int _workerThread;
    private int _commitThread;
    private ulong _scheduledEvent;
    private bool _scheduled;
    private int _calloutResult = -1;
    private uint _localReplyStatus;
    private bool _collect;

    public override HeadersStatus OnRequestHeaders(HttpFilterContext ctx, bool endOfStream)
    {
        Count(ctx, "request_headers"u8);
        var headers = ctx.RequestHeaders;
        var metrics = ctx.Metrics;
        metrics.Increment(config.Metrics.Requests, headers.TryGet(":method"u8, out var method) ? method : "unknown"u8);
        metrics.Increase(config.Metrics.ActiveStreams);
        _activeCounted = true;
        _route = ctx.RouteConfig<AbiProbeRouteConfig>();

        if (ctx.TryGetAttributeString(AttributeId.SourceAddress, out var address))
        {
            _sourceAddress.Set(address);
        }
        _hasSourcePort = ctx.TryGetAttributeInt(AttributeId.SourcePort, out _sourcePort);

        CopyIfPresent(headers, "x-probe-resp-remove"u8, _respRemove);
        CopyIfPresent(headers, "x-probe-resp-body-append"u8, _respBodyAppend);
        CopyIfPresent(headers, "x-probe-req-body-append"u8, _reqBodyAppend);
        CopyIfPresent(headers, "x-probe-req-body-replace"u8, _reqBodyReplace);
        CopyIfPresent(headers, "x-probe-trailer-set"u8, _trailerSet);
        CopyIfPresent(headers, "x-probe-resp-trailer-remove"u8, _respTrailerRemove);
        _collect = headers.Count("x-probe-gc"u8) > 0;
        CollectIfAsked();

        if (headers.TryGet("x-probe-local-reply"u8, out var statusText))
        {
            var status = uint.TryParse(statusText, out var parsed) ? parsed : 418u;
            var replyHeaders = new HeaderList(stackalloc byte[128]);
            replyHeaders.Add("x-probe-local"u8, "yes"u8);
            ctx.SendLocalResponse(status, replyHeaders, "abi_probe local reply"u8, "abi_probe_local_reply"u8);
            return HeadersStatus.StopIteration;
        }

        if (headers.TryGet("x-probe-set"u8, out var setValue))
        {
            // Copy first: a setter on the same map invalidates views into it.
            Span<byte> copy = stackalloc byte[Math.Min(setValue.Length, 256)];
            setValue[..copy.Length].CopyTo(copy);
            headers.Set("x-probe-was-set"u8, copy);
        }
        if (headers.TryGet("x-probe-add"u8, out var addValue))
        {
            Span<byte> copy = stackalloc byte[Math.Min(addValue.Length, 256)];
            addValue[..copy.Length].CopyTo(copy);
            headers.Add("x-probe-multi"u8, copy);
        }
        if (headers.TryGet("x-probe-remove"u8, out var removeName))
        {
            Span<byte> copy = stackalloc byte[Math.Min(removeName.Length, 256)];
            removeName[..copy.Length].CopyTo(copy);
            headers.Remove(copy);
        }
        if (headers.Count("x-probe-invalid-value"u8) > 0)
        {
            _invalidTried = true;
            _invalidRejected = !headers.Set("x-probe-invalid"u8, "a\r\nx-injected: 1"u8);
        }

        _multiCount = headers.Count("x-probe-multi"u8);
        _multiValues.Clear();
        for (var i = 0; i < _multiCount; i++)
        {
            if (headers.TryGet("x-probe-multi"u8, i, out var value))
            {
                _multiValues.AppendListItem(value);
            }
        }
        _headerSize = headers.Size;
        _enumerated = 0;
        foreach (var header in headers)
        {
            if (!header.Key.IsEmpty)
            {
                _enumerated++;
            }
        }

        if (headers.Count("x-probe-async"u8) > 0)
        {
            var scheduler = ctx.NewScheduler();
            _workerThread = Environment.CurrentManagedThreadId;
            ThreadPool.UnsafeQueueUserWorkItem(static state =>
            {
                state.Filter._commitThread = Environment.CurrentManagedThreadId;
                state.Scheduler.Commit(AsyncEventId);
            }, new AsyncState(this, scheduler), preferLocal: false);
            return HeadersStatus.StopAllIterationAndWatermark;
        }

        if (headers.TryGet("x-probe-callout"u8, out var cluster))
        {
            return StartCallout(ctx, cluster);
        }
        if (headers.TryGet("x-probe-stream"u8, out var streamCluster))
        {
            return StartStream(ctx, streamCluster, resetAtOnce: headers.Count("x-probe-stream-reset"u8) > 0);
        }
        return HeadersStatus.Continue;
    }

    private HeadersStatus StartCallout(HttpFilterContext ctx, ReadOnlySpan<byte> cluster)
    {
        var calloutHeaders = new HeaderList(stackalloc byte[256]);
        calloutHeaders.Add(":method"u8, "GET"u8);
        calloutHeaders.Add(":path"u8, "/probe-callout"u8);
        calloutHeaders.Add("host"u8, "probe.local"u8);
        calloutHeaders.Add(":authority"u8, "probe.local"u8);
        var result = ctx.StartHttpCallout(cluster, calloutHeaders, default, 5000, out _);
        if (result != HttpCalloutInitResult.Success)
        {
            ctx.SendLocalResponse(503, Encoding.UTF8.GetBytes("callout init failed: " + result), "abi_probe_callout_init_failed"u8);
            return HeadersStatus.StopIteration;
        }
        return HeadersStatus.StopAllIterationAndWatermark;
    }

    public override void OnScheduled(HttpFilterContext ctx, ulong eventId)
    {
        Count(ctx, "scheduled"u8);
        _scheduled = true;
        _scheduledEvent = eventId;
        ctx.ContinueDecoding();
    }

    public override void OnHttpCalloutDone(HttpFilterContext ctx, ulong calloutId, HttpCalloutResult result, CalloutResponse response)
    {
        Count(ctx, "http_callout_done"u8);
        _calloutResult = (int)result;
        if (response.TryGetHeader(":status"u8, out var status))
        {
            _calloutStatus.Set(status);
        }
        Span<byte> body = stackalloc byte[1024];
        var n = response.CopyBodyTo(body);
        _calloutBody.Set(body[..n]);
        ctx.ContinueDecoding();
    }

    public override BodyStatus OnRequestBody(HttpFilterContext ctx, bool endOfStream)
    {
        Count(ctx, "request_body"u8);
        var received = ctx.ReceivedRequestBody;
        _requestBodyBytes += received.Length;
        if (!_reqBodyAppend.IsSet && !_reqBodyReplace.IsSet)
        {
            return BodyStatus.Continue;
        }
        if (!endOfStream)
        {
            return BodyStatus.StopIterationAndBuffer;
        }
        if (_reqBodyReplace.IsSet)
        {
            var buffered = ctx.BufferedRequestBody;
            buffered.Drain(buffered.Length);
            received.Drain(received.Length);
            received.Append(_reqBodyReplace.Span);
        }
        if (_reqBodyAppend.IsSet)
        {
            received.Append(_reqBodyAppend.Span);
        }
        return BodyStatus.Continue;
    }

    public override TrailersStatus OnRequestTrailers(HttpFilterContext ctx)
    {
        Count(ctx, "request_trailers"u8);
        _requestTrailerCount = ctx.RequestTrailers.Size;
        if (_trailerSet.IsSet)
        {
            var trailers = ctx.RequestTrailers;
            trailers.Set("x-probe-trailer"u8, _trailerSet.Span);
            trailers.Remove("x-remove-me"u8);
        }
        return TrailersStatus.Continue;
    }

    public override HeadersStatus OnResponseHeaders(HttpFilterContext ctx, bool endOfStream)
    {
        Count(ctx, "response_headers"u8);
        CollectIfAsked();
        var headers = ctx.ResponseHeaders;
        headers.Set("x-probe-response"u8, "1"u8);
        if (config.Tag.Length > 0)
        {
            headers.Set("x-probe-config-tag"u8, config.Tag);
        }
        headers.Set("x-probe-route-tag"u8, _route is null ? "none"u8 : _route.Tag);
        SetNumber(headers, "x-probe-worker"u8, ctx.WorkerIndex);
        if (_sourceAddress.IsSet)
        {
            headers.Set("x-probe-source-address"u8, _sourceAddress.Span);
        }
        if (_hasSourcePort)
        {
            SetNumber(headers, "x-probe-source-port"u8, _sourcePort);
        }
        SetNumber(headers, "x-probe-multi-count"u8, (ulong)_multiCount);
        if (_multiValues.IsSet)
        {
            headers.Set("x-probe-multi-values"u8, _multiValues.Span);
        }
        SetNumber(headers, "x-probe-request-header-count"u8, (ulong)_headerSize);
        SetNumber(headers, "x-probe-enumerated"u8, (ulong)_enumerated);
        if (_invalidTried)
        {
            headers.Set("x-probe-invalid-rejected"u8, _invalidRejected ? "true"u8 : "false"u8);
        }
        if (_scheduled)
        {
            SetNumber(headers, "x-probe-async-event"u8, _scheduledEvent);
            headers.Set("x-probe-async-foreign-thread"u8, _commitThread != 0 && _commitThread != _workerThread ? "true"u8 : "false"u8);
        }
        if (_calloutResult >= 0)
        {
            SetNumber(headers, "x-probe-callout-result"u8, (ulong)_calloutResult);
            headers.Set("x-probe-callout-status"u8, _calloutStatus.Span);
            headers.Set("x-probe-callout-body"u8, _calloutBody.Span);
        }
        ReportStream(headers);
        SetNumber(headers, "x-probe-request-body-bytes"u8, (ulong)_requestBodyBytes);
        if (_requestTrailerCount >= 0)
        {
            SetNumber(headers, "x-probe-request-trailer-count"u8, (ulong)_requestTrailerCount);
        }
        if (_localReplyStatus != 0)
        {
            SetNumber(headers, "x-probe-local-reply-hook"u8, _localReplyStatus);
        }
        if (_respRemove.IsSet)
        {
            headers.Remove(_respRemove.Span);
        }
        return HeadersStatus.Continue;
    }

    public override BodyStatus OnResponseBody(HttpFilterContext ctx, bool endOfStream)
    {
        Count(ctx, "response_body"u8);
        if (endOfStream && _respBodyAppend.IsSet)
        {
            ctx.ReceivedResponseBody.Append(_respBodyAppend.Span);
        }
        return BodyStatus.Continue;
    }

    public override TrailersStatus OnResponseTrailers(HttpFilterContext ctx)
    {
        Count(ctx, "response_trailers"u8);
        var trailers = ctx.ResponseTrailers;
        SetNumber(trailers, "x-probe-resp-trailer-seen"u8, (ulong)trailers.Size);
        trailers.Set("x-probe-resp-trailer"u8, "1"u8);
        if (_respTrailerRemove.IsSet)
        {
            trailers.Remove(_respTrailerRemove.Span);
        }
        return TrailersStatus.Continue;
    }

    public override LocalReplyStatus OnLocalReply(HttpFilterContext ctx, uint status, ReadOnlySpan<byte> details, bool resetImminent)
    {
        Count(ctx, "local_reply"u8);
        _localReplyStatus = status;
        return LocalReplyStatus.Continue;
    }

    public override void OnStreamComplete(HttpFilterContext ctx)
    {
        Count(ctx, "stream_complete"u8);
        if (_activeCounted)
        {
            ctx.Metrics.Decrease(config.Metrics.ActiveStreams);
        }
        ctx.Metrics.Record(config.Metrics.RequestBodyBytes, (ulong)_requestBodyBytes);
    }

    protected override void OnReuse()
    {
        _respRemove.Clear();
        _respBodyAppend.Clear();
        _reqBodyAppend.Clear();
        _reqBodyReplace.Clear();
        _trailerSet.Clear();
        _respTrailerRemove.Clear();
        _requestTrailerCount = -1;
        _sourceAddress.Clear();
        _multiValues.Clear();
        _calloutStatus.Clear();
        _calloutBody.Clear();
        _route = null;
        _multiCount = _headerSize = _enumerated = 0;
        _sourcePort = 0;
        _hasSourcePort = _invalidTried = _invalidRejected = _activeCounted = _scheduled = false;
        _requestBodyBytes = 0;
        _workerThread = _commitThread = 0;
        _scheduledEvent = 0;
        _calloutResult = -1;
        _localReplyStatus = 0;
        _collect = false;
        ResetStreaming();
    }

    private void CollectIfAsked()
    {
        if (_collect)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        }
    }

    private void Count(HttpFilterContext ctx, ReadOnlySpan<byte> hook) => ctx.Metrics.Increment(config.Metrics.HookCalls, hook);

    private static void CopyIfPresent(HeaderMap headers, ReadOnlySpan<byte> key, ByteSlot slot)
    {
        if (headers.TryGet(key, out var value))
        {
            slot.Set(value);
        }
    }

    private static void SetNumber(HeaderMap headers, ReadOnlySpan<byte> key, ulong value)
    {
        Span<byte> text = stackalloc byte[20];
        value.TryFormat(text, out var written);
        headers.Set(key, text[..written]);
    }

    private sealed record AsyncState(AbiProbeFilter Filter, Scheduler Scheduler);
}
