using System.Buffers.Text;
using System.Diagnostics;
using EnvoyExt.DynamicModules.Sdk;
using EnvoyExt.Filters.ExtAuth.Config;
using EnvoyExt.Filters.ExtAuth.Grpc;

namespace EnvoyExt.Filters.ExtAuth;

/// <summary>
/// Asks the authorization service about every request (the route's settings, else the listener's). The
/// request waits (StopIteration; body frames are held) until the answer arrives through the callout hooks,
/// then resumes with ContinueDecoding, or ends in the service's denial or in <c>statusOnError</c>.
/// </summary>
internal sealed partial class ExtAuthFilter(ExtAuthFilterConfig config) : HttpFilter<ExtAuthFilter.Stream>
{
    private const int HeaderStorageBytes = 32 * 1024;

    // OnStreamComplete has work only on a stream that sent a check (one in flight is cancelled there).
    protected override EndOfStreamHooks EndOfStreamHooks => EndOfStreamHooks.WhenRequested;

    // Reused by every stream this pooled object serves, so a steady-state check allocates nothing.
    private byte[]? _headerStorage;
    private byte[]? _body;
    private byte[]? _wire;

    internal enum Phase : byte
    {
        Idle,
        CollectingBody,
        Checking,
        Allowed,
        Rejected,
    }

    public override HeadersStatus OnRequestHeaders(HttpFilterContext ctx, bool endOfStream)
    {
        var settings = ctx.RouteConfig<ExtAuthSettings>() ?? config.Settings;
        if (settings.IsDisabled)
        {
            return HeadersStatus.Continue;
        }
        State.Settings = settings;
        if (settings.WantsBody && !endOfStream)
        {
            State.Phase = Phase.CollectingBody;
            return HeadersStatus.StopIteration;
        }
        return StartCheck(ctx) ? HeadersStatus.Continue : HeadersStatus.StopIteration;
    }

    public override BodyStatus OnRequestBody(HttpFilterContext ctx, bool endOfStream)
    {
        switch (State.Phase)
        {
            case Phase.CollectingBody:
                if (!CollectBody(ctx))
                {
                    if (!State.Settings!.AllowPartialMessage)
                    {
                        State.Phase = Phase.Rejected;
                        ctx.SendLocalResponse(413, "request body too large for authorization\n"u8, "ext_auth_body_too_large"u8);
                        return BodyStatus.StopIterationNoBuffer;
                    }
                    State.PartialBody = true;
                }
                else if (!endOfStream)
                {
                    return BodyStatus.StopIterationAndBuffer;
                }
                return StartCheck(ctx) ? BodyStatus.Continue : BodyStatus.StopIterationAndBuffer;
            case Phase.Checking:
                return BodyStatus.StopIterationAndBuffer;
            case Phase.Rejected:
                return BodyStatus.StopIterationNoBuffer;
            default:
                return BodyStatus.Continue;
        }
    }

    public override TrailersStatus OnRequestTrailers(HttpFilterContext ctx)
    {
        switch (State.Phase)
        {
            case Phase.CollectingBody:
                return StartCheck(ctx) ? TrailersStatus.Continue : TrailersStatus.StopIteration;
            case Phase.Checking:
            case Phase.Rejected:
                return TrailersStatus.StopIteration;
            default:
                return TrailersStatus.Continue;
        }
    }

    public override void OnStreamComplete(HttpFilterContext ctx)
    {
        // The client left while the check was in flight: cancel a gRPC check (its reset hook then sees Idle).
        if (State.Phase == Phase.Checking && State.IsStream)
        {
            State.Phase = Phase.Idle;
            ctx.ResetHttpStream(State.CalloutId);
        }
        State.Phase = Phase.Idle;
    }

    // Copies the frame into the per-object body buffer; false once the body exceeds maxRequestBytes
    // (the buffer then holds the first maxRequestBytes bytes).
    private bool CollectBody(HttpFilterContext ctx)
    {
        int max = State.Settings!.MaxRequestBytes;
        if (_body is null || _body.Length < max)
        {
            _body = new byte[max];
        }
        foreach (var slice in ctx.ReceivedRequestBody)
        {
            int room = max - State.BodyLength;
            int n = Math.Min(room, slice.Length);
            slice[..n].CopyTo(_body.AsSpan(State.BodyLength));
            State.BodyLength += n;
            if (slice.Length > room)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Sends the check; true when the request may go on at once (failed open before anything was sent).</summary>
    private bool StartCheck(HttpFilterContext ctx)
    {
        var settings = State.Settings!;
        ctx.RequestEndOfStreamHooks();
        State.Phase = Phase.Checking;
        State.StartedAt = Stopwatch.GetTimestamp();
        State.InStartCall = true;
        bool started = settings.Protocol == ExtAuthProtocol.Grpc ? StartGrpcCheck(ctx, settings) : StartHttpCheck(ctx, settings);
        State.InStartCall = false;
        if (!started)
        {
            Fail(ctx, timedOut: false);
        }
        return State.Phase == Phase.Allowed;
    }

    private ReadOnlySpan<byte> CollectedBody => State.Settings!.WantsBody ? _body.AsSpan(0, State.BodyLength) : default;

    private bool StartHttpCheck(HttpFilterContext ctx, ExtAuthSettings settings)
    {
        _headerStorage ??= new byte[HeaderStorageBytes];
        var request = ctx.RequestHeaders;
        var headers = new HeaderList(_headerStorage);
        if (!request.TryGet(":method"u8, out var method))
        {
            method = "GET"u8;
        }
        request.TryGet(":path"u8, out var path);
        if (!request.TryGet(":authority"u8, out var authority) && !request.TryGet("host"u8, out authority))
        {
            authority = settings.Authority;
        }
        int pathLength = settings.PathPrefix.Length + path.Length;
        var wire = Wire(pathLength);
        settings.PathPrefix.CopyTo(wire);
        path.CopyTo(wire[settings.PathPrefix.Length..]);
        bool fits = headers.Add(":method"u8, method) & headers.Add(":path"u8, pathLength == 0 ? "/"u8 : wire[..pathLength]) &
                    headers.Add(":authority"u8, authority) &
                    AddAll(ref headers, request, "authorization"u8);
        foreach (var name in settings.HeadersToExtAuth)
        {
            fits &= AddAll(ref headers, request, name);
        }
        if (settings.WantsBody)
        {
            fits &= headers.Add("x-envoy-auth-partial-body"u8, State.PartialBody ? "true"u8 : "false"u8);
        }
        if (!fits)
        {
            return false;
        }
        State.IsStream = false;
        var result = ctx.StartHttpCallout(settings.Cluster, headers, CollectedBody, settings.TimeoutMs, out ulong id);
        State.CalloutId = id;
        return result == HttpCalloutInitResult.Success;
    }

    private static bool AddAll(ref HeaderList list, HeaderMap request, ReadOnlySpan<byte> name)
    {
        int count = request.Count(name);
        bool ok = true;
        for (int i = 0; i < count; i++)
        {
            if (request.TryGet(name, i, out var value))
            {
                ok &= list.Add(name, value);
            }
        }
        return ok;
    }

    private bool StartGrpcCheck(HttpFilterContext ctx, ExtAuthSettings settings)
    {
        var body = CollectedBody;
        var wire = Wire(CheckRequestEncoder.MaxSize(ctx, settings, body.Length));
        int length = CheckRequestEncoder.Write(ctx, settings, body, State.PartialBody, settings.WantsBody, wire);
        if (length < 0)
        {
            return false;
        }
        Span<byte> timeout = stackalloc byte[24];
        Utf8Formatter.TryFormat(settings.TimeoutMs, timeout, out int digits);
        timeout[digits++] = (byte)'m';
        var headers = new HeaderList(stackalloc byte[512]);
        headers.Add(":method"u8, "POST"u8);
        headers.Add(":path"u8, "/envoy.service.auth.v3.Authorization/Check"u8);
        headers.Add(":authority"u8, settings.Authority);
        headers.Add("content-type"u8, "application/grpc"u8);
        headers.Add("te"u8, "trailers"u8);
        headers.Add("grpc-timeout"u8, timeout[..digits]);
        State.IsStream = true;
        State.GrpcStatus = -1;
        State.ResponseLength = 0;
        State.AnswerBroken = false;
        var result = ctx.StartHttpStream(settings.Cluster, headers, wire[..length], endOfStream: true, settings.TimeoutMs, out ulong id);
        State.CalloutId = id;
        return result == HttpCalloutInitResult.Success;
    }

    // The per-object scratch buffer, grown (once per size class) to at least minimum bytes.
    private Span<byte> Wire(int minimum)
    {
        if (_wire is null || _wire.Length < minimum)
        {
            _wire = new byte[Math.Max(minimum, 4096)];
        }
        return _wire;
    }

    private void Allow(HttpFilterContext ctx)
    {
        Record(ctx);
        ctx.Metrics.Increment(config.Metrics.Allowed);
        Resume(ctx);
    }

    private void Deny(HttpFilterContext ctx, uint status, scoped in HeaderList headers, ReadOnlySpan<byte> body)
    {
        Record(ctx);
        ctx.Metrics.Increment(config.Metrics.Denied);
        State.Phase = Phase.Rejected;
        ctx.SendLocalResponse(status, headers, body, "ext_auth_denied"u8);
    }

    private void Fail(HttpFilterContext ctx, bool timedOut)
    {
        Record(ctx);
        var metrics = config.Metrics;
        ctx.Metrics.Increment(timedOut ? metrics.Timeout : metrics.Error);
        var settings = State.Settings!;
        if (settings.FailOpen)
        {
            ctx.Metrics.Increment(metrics.FailedOpen);
            Resume(ctx);
            return;
        }
        State.Phase = Phase.Rejected;
        ctx.SendLocalResponse(settings.StatusOnError, default, timedOut ? "ext_auth_timeout"u8 : "ext_auth_error"u8);
    }

    private void Resume(HttpFilterContext ctx)
    {
        State.Phase = Phase.Allowed;
        if (!State.InStartCall)
        {
            ctx.ContinueDecoding();
        }
    }

    private void Record(HttpFilterContext ctx)
    {
        long micros = (long)Stopwatch.GetElapsedTime(State.StartedAt).TotalMicroseconds;
        ctx.Metrics.Record(config.Metrics.LatencyUs, (ulong)Math.Max(0, micros));
    }

    // A failed callout took (about) its whole timeout: Envoy reports a timeout as a reset like any other failure.
    private bool LooksTimedOut() =>
        Stopwatch.GetElapsedTime(State.StartedAt).TotalMilliseconds >= State.Settings!.TimeoutMs * 0.95;

    internal struct Stream
    {
        public ExtAuthSettings? Settings;
        public long StartedAt;
        public ulong CalloutId;
        public int BodyLength;
        public int ResponseLength;
        public long GrpcStatus;
        public Phase Phase;
        public bool PartialBody;
        public bool IsStream;
        public bool InStartCall;
        public bool AnswerBroken;
    }
}
