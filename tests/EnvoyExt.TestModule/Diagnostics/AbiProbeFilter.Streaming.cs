using EnvoyExt.DynamicModules.Sdk;

namespace EnvoyExt.TestModule.Diagnostics;

/// <summary>
/// The streaming-callout probe. <c>x-probe-stream: CLUSTER</c> starts POST /probe-stream on CLUSTER with a
/// first body chunk (<c>first;</c>), sends a second one (<c>second;</c>) and request trailers
/// (<c>x-probe-req-trailer: t1</c>), and holds the request until the callout completes or resets. With
/// <c>x-probe-stream-reset</c> it resets the callout right after starting it. The response reports
/// x-probe-stream-init (init result), -status, -body (every data frame), -trailer (the callout's
/// <c>x-probe-resp-trailer</c> trailer), -frames (hook order: h, d, t, c or r) and -end
/// (<c>complete</c> or <c>reset:&lt;reason&gt;</c>), and -send-after-end (what sending data returned
/// once the callout had ended).
/// </summary>
internal sealed partial class AbiProbeFilter
{
    private readonly ByteSlot _streamStatus = new();
    private readonly ByteSlot _streamBody = new();
    private readonly ByteSlot _streamTrailer = new();
    private readonly ByteSlot _streamFrames = new();
    private readonly ByteSlot _streamEnd = new();
    private int _streamInit = -1;
    private ulong _streamId;
    private bool _streamHeld;
    private bool _sendAfterEnd;

    private HeadersStatus StartStream(HttpFilterContext ctx, ReadOnlySpan<byte> cluster, bool resetAtOnce)
    {
        var headers = new HeaderList(stackalloc byte[256]);
        headers.Add(":method"u8, "POST"u8);
        headers.Add(":path"u8, "/probe-stream"u8);
        headers.Add("host"u8, "probe.local"u8);
        headers.Add(":authority"u8, "probe.local"u8);
        headers.Add("content-type"u8, "text/plain"u8);
        var result = ctx.StartHttpStream(cluster, headers, "first;"u8, endOfStream: false, timeoutMs: 5000, out _streamId);
        _streamInit = (int)result;
        if (result != HttpCalloutInitResult.Success)
        {
            return HeadersStatus.Continue;
        }
        if (resetAtOnce)
        {
            ctx.ResetHttpStream(_streamId); // the reset hook runs inside this call
            return HeadersStatus.Continue;
        }
        ctx.SendHttpStreamData(_streamId, "second;"u8, endOfStream: false);
        var trailers = new HeaderList(stackalloc byte[64]);
        trailers.Add("x-probe-req-trailer"u8, "t1"u8);
        ctx.SendHttpStreamTrailers(_streamId, trailers);
        _streamHeld = true;
        return HeadersStatus.StopAllIterationAndWatermark;
    }

    public override void OnHttpStreamHeaders(HttpFilterContext ctx, ulong streamId, CalloutHeaders headers, bool endOfStream)
    {
        Count(ctx, "http_stream_headers"u8);
        _streamFrames.AppendListItem("h"u8);
        if (headers.TryGet(":status"u8, out var status))
        {
            _streamStatus.Set(status);
        }
    }

    public override void OnHttpStreamData(HttpFilterContext ctx, ulong streamId, CalloutBody data, bool endOfStream)
    {
        Count(ctx, "http_stream_data"u8);
        _streamFrames.AppendListItem("d"u8);
        for (var i = 0; i < data.ChunkCount; i++)
        {
            _streamBody.Append(data.Chunk(i));
        }
    }

    public override void OnHttpStreamTrailers(HttpFilterContext ctx, ulong streamId, CalloutHeaders trailers)
    {
        Count(ctx, "http_stream_trailers"u8);
        _streamFrames.AppendListItem("t"u8);
        if (trailers.TryGet("x-probe-resp-trailer"u8, out var value))
        {
            _streamTrailer.Set(value);
        }
    }

    public override void OnHttpStreamComplete(HttpFilterContext ctx, ulong streamId)
    {
        Count(ctx, "http_stream_complete"u8);
        _streamFrames.AppendListItem("c"u8);
        _streamEnd.Set("complete"u8);
        EndStream(ctx, streamId);
    }

    public override void OnHttpStreamReset(HttpFilterContext ctx, ulong streamId, HttpStreamResetReason reason)
    {
        Count(ctx, "http_stream_reset"u8);
        _streamFrames.AppendListItem("r"u8);
        Span<byte> text = stackalloc byte[32];
        "reset:"u8.CopyTo(text);
        ((int)reason).TryFormat(text[6..], out var written);
        _streamEnd.Set(text[..(6 + written)]);
        EndStream(ctx, streamId);
    }

    private void EndStream(HttpFilterContext ctx, ulong streamId)
    {
        _sendAfterEnd = ctx.SendHttpStreamData(streamId, "late"u8, endOfStream: true);
        if (_streamHeld)
        {
            _streamHeld = false;
            ctx.ContinueDecoding();
        }
    }

    private void ReportStream(HeaderMap headers)
    {
        if (_streamInit < 0)
        {
            return;
        }
        SetNumber(headers, "x-probe-stream-init"u8, (ulong)_streamInit);
        headers.Set("x-probe-stream-status"u8, _streamStatus.Span);
        headers.Set("x-probe-stream-body"u8, _streamBody.Span);
        headers.Set("x-probe-stream-trailer"u8, _streamTrailer.Span);
        headers.Set("x-probe-stream-frames"u8, _streamFrames.Span);
        headers.Set("x-probe-stream-end"u8, _streamEnd.Span);
        headers.Set("x-probe-stream-send-after-end"u8, _sendAfterEnd ? "true"u8 : "false"u8);
    }

    private void ResetStreaming()
    {
        _streamStatus.Clear();
        _streamBody.Clear();
        _streamTrailer.Clear();
        _streamFrames.Clear();
        _streamEnd.Clear();
        _streamInit = -1;
        _streamId = 0;
        _streamHeld = false;
        _sendAfterEnd = false;
    }
}
