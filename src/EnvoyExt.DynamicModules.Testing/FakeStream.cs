using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Text;
using EnvoyExt.DynamicModules.Abi;
using EnvoyExt.DynamicModules.Sdk;

namespace EnvoyExt.DynamicModules.Testing;

/// <summary>
/// One HTTP stream through one filter. The test fills the Envoy-side state (headers, bodies,
/// attributes), drives the hooks in Envoy's order with the <c>Send*</c> methods, delivers asynchronous
/// events (scheduler commits, callout answers, streaming-callout frames) and reads what the filter did
/// (header edits, <see cref="LocalReply"/>, <see cref="ResetCount"/>, <see cref="Callouts"/>,
/// <see cref="HttpStreams"/>). Hooks run synchronously on the calling thread.
/// </summary>
/// <remarks>
/// Unlike Envoy, a local reply is only recorded: the fake does not run the reply through the filter's
/// response hooks; call <see cref="SendResponseHeaders"/> yourself to model that.
/// </remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix",
    Justification = "Envoy's term: one HTTP stream (request and response) a filter instance serves, not a System.IO.Stream.")]
public sealed unsafe class FakeStream : IDisposable
{
    private readonly FakeEnvoy _envoy;
    private readonly FakeRouteConfig? _route;
    private readonly Dictionary<AttributeId, byte[]> _stringAttributes = [];
    private readonly Dictionary<AttributeId, ulong> _intAttributes = [];
    private readonly ConcurrentQueue<ulong> _commits = new();
    private readonly List<FakeCallout> _callouts = [];
    private readonly List<FakeHttpStream> _httpStreams = [];
    private readonly List<nint> _schedulers = [];
    private readonly List<nint> _native = [];
    private nint _self;
    private nint _module;
    private ulong _nextCalloutId = 1;
    private bool _destroyed;

    internal FakeStream(FakeEnvoy envoy, FakeRouteConfig? route)
    {
        _envoy = envoy;
        _route = route;
        _self = GCHandle.ToIntPtr(GCHandle.Alloc(this));
    }

    /// <summary>The fake <c>fe</c> pointer the SDK receives for this stream.</summary>
    public nint EnvoyPointer => _self;

    /// <summary>Envoy's request headers (fill before <see cref="SendRequestHeaders"/>).</summary>
    public FakeHeaderMap RequestHeaders { get; } = new();

    /// <summary>Envoy's request trailers.</summary>
    public FakeHeaderMap RequestTrailers { get; } = new();

    /// <summary>Envoy's response headers (fill before <see cref="SendResponseHeaders"/>).</summary>
    public FakeHeaderMap ResponseHeaders { get; } = new();

    /// <summary>Envoy's response trailers.</summary>
    public FakeHeaderMap ResponseTrailers { get; } = new();

    /// <summary>
    /// The stream's dynamic metadata by (namespace, key): a <see cref="string"/>, <see cref="double"/> or
    /// <see cref="bool"/>, as filters wrote it (or as a test put it there for a filter to read).
    /// </summary>
    public Dictionary<(string Namespace, string Key), object> DynamicMetadata { get; } = [];

    /// <summary>
    /// Structs written with <c>set_dynamic_metadata_struct</c>, in order: the namespace and the
    /// protobuf-binary <c>google.protobuf.Struct</c> as the filter passed it (parse it in the test).
    /// </summary>
    public List<(string Namespace, byte[] Struct)> DynamicMetadataStructs { get; } = [];

    /// <summary>The request frame being delivered (set by <see cref="SendRequestBody"/>).</summary>
    public FakeBody ReceivedRequestBody { get; } = new();

    /// <summary>The request body Envoy has buffered.</summary>
    public FakeBody BufferedRequestBody { get; } = new();

    /// <summary>The response frame being delivered (set by <see cref="SendResponseBody"/>).</summary>
    public FakeBody ReceivedResponseBody { get; } = new();

    /// <summary>The response body Envoy has buffered.</summary>
    public FakeBody BufferedResponseBody { get; } = new();

    /// <summary>What <c>http_filter_get_worker_index</c> answers (the SDK asks once per thread).</summary>
    public uint Worker { get; set; }

    /// <summary>What the next callout or streaming-callout start returns (Success by default).</summary>
    public HttpCalloutInitResult NextCalloutResult { get; set; } = HttpCalloutInitResult.Success;

    /// <summary>The local reply the filter sent, or null.</summary>
    public FakeLocalReply? LocalReply { get; private set; }

    /// <summary>How many times the filter reset the stream.</summary>
    public int ResetCount { get; private set; }

    /// <summary>How many times the filter called continue_decoding.</summary>
    public int ContinueDecodingCount { get; private set; }

    /// <summary>How many times the filter called continue_encoding.</summary>
    public int ContinueEncodingCount { get; private set; }

    /// <summary>How many schedulers the SDK deleted for this stream.</summary>
    public int SchedulerDeletes { get; private set; }

    /// <summary>One-shot callouts the filter started.</summary>
    public IReadOnlyList<FakeCallout> Callouts => _callouts;

    /// <summary>Streaming callouts the filter started.</summary>
    public IReadOnlyList<FakeHttpStream> HttpStreams => _httpStreams;

    /// <summary>Scheduler commits not yet delivered (any thread may add to them).</summary>
    public int PendingCommits => _commits.Count;

    /// <summary>Sets a string attribute (e.g. <see cref="AttributeId.SourceAddress"/> = "10.0.0.1:1234").</summary>
    /// <param name="id">Which attribute.</param>
    /// <param name="value">Its text.</param>
    public void SetAttribute(AttributeId id, string value) => _stringAttributes[id] = Encoding.UTF8.GetBytes(value);

    /// <summary>Sets an integer attribute (e.g. <see cref="AttributeId.SourcePort"/>).</summary>
    /// <param name="id">Which attribute.</param>
    /// <param name="value">Its value.</param>
    public void SetAttribute(AttributeId id, ulong value) => _intAttributes[id] = value;

    /// <summary>Runs request_headers.</summary>
    /// <param name="endOfStream">True when no body or trailers follow.</param>
    /// <returns>The filter's status.</returns>
    public HeadersStatus SendRequestHeaders(bool endOfStream = true)
    {
        using var scope = _envoy.Enter();
        return (HeadersStatus)HttpFilterDispatcher.RequestHeaders(_self, Module, endOfStream);
    }

    /// <summary>Runs request_body with <paramref name="frame"/> as the received frame; appends it to the buffered body after a Continue.</summary>
    /// <param name="frame">The frame's text.</param>
    /// <param name="endOfStream">True when no trailers follow.</param>
    /// <returns>The filter's status.</returns>
    public BodyStatus SendRequestBody(string frame, bool endOfStream = true)
    {
        ReceivedRequestBody.Clear();
        ReceivedRequestBody.Append(frame);
        using var scope = _envoy.Enter();
        return (BodyStatus)HttpFilterDispatcher.RequestBody(_self, Module, endOfStream);
    }

    /// <summary>Runs request_trailers.</summary>
    /// <returns>The filter's status.</returns>
    public TrailersStatus SendRequestTrailers()
    {
        using var scope = _envoy.Enter();
        return (TrailersStatus)HttpFilterDispatcher.RequestTrailers(_self, Module);
    }

    /// <summary>Runs response_headers (set <c>:status</c> in <see cref="ResponseHeaders"/> first).</summary>
    /// <param name="endOfStream">True when no body or trailers follow.</param>
    /// <returns>The filter's status.</returns>
    public HeadersStatus SendResponseHeaders(bool endOfStream = true)
    {
        using var scope = _envoy.Enter();
        return (HeadersStatus)HttpFilterDispatcher.ResponseHeaders(_self, Module, endOfStream);
    }

    /// <summary>Runs response_body with <paramref name="frame"/> as the received frame.</summary>
    /// <param name="frame">The frame's text.</param>
    /// <param name="endOfStream">True when no trailers follow.</param>
    /// <returns>The filter's status.</returns>
    public BodyStatus SendResponseBody(string frame, bool endOfStream = true)
    {
        ReceivedResponseBody.Clear();
        ReceivedResponseBody.Append(frame);
        using var scope = _envoy.Enter();
        return (BodyStatus)HttpFilterDispatcher.ResponseBody(_self, Module, endOfStream);
    }

    /// <summary>Runs response_trailers.</summary>
    /// <returns>The filter's status.</returns>
    public TrailersStatus SendResponseTrailers()
    {
        using var scope = _envoy.Enter();
        return (TrailersStatus)HttpFilterDispatcher.ResponseTrailers(_self, Module);
    }

    /// <summary>Runs local_reply (Envoy announces a local reply to every filter).</summary>
    /// <param name="status">The reply's status.</param>
    /// <param name="details">The reply's details.</param>
    /// <param name="resetImminent">True when Envoy will reset instead.</param>
    /// <returns>The filter's status.</returns>
    public LocalReplyStatus SendLocalReplyNotice(uint status, string details, bool resetImminent = false)
    {
        var bytes = Encoding.UTF8.GetBytes(details);
        using var scope = _envoy.Enter();
        fixed (byte* d = bytes)
        {
            return (LocalReplyStatus)HttpFilterDispatcher.LocalReply(_self, Module, status, FakeEnvoy.Buffer(d, bytes.Length), resetImminent);
        }
    }

    /// <summary>Delivers every pending scheduler commit to the filter's scheduled hook, in commit order.</summary>
    /// <returns>How many were delivered.</returns>
    public int RunScheduled()
    {
        var delivered = 0;
        using var scope = _envoy.Enter();
        while (!_destroyed && _commits.TryDequeue(out var eventId))
        {
            HttpFilterDispatcher.Scheduled(_self, Module, eventId);
            delivered++;
        }
        return delivered;
    }

    /// <summary>Answers the one-shot callout <paramref name="calloutId"/>.</summary>
    /// <param name="calloutId">The callout's id.</param>
    /// <param name="result">Success, or the failure to report.</param>
    /// <param name="body">Response body (Success only).</param>
    /// <param name="headers">Response headers, <c>:status</c> included (Success only).</param>
    public void CompleteCallout(ulong calloutId, HttpCalloutResult result, string body = "", params (string Name, string Value)[] headers)
    {
        using var scope = _envoy.Enter();
        using var native = new NativeHeaders(result == HttpCalloutResult.Success ? headers : []);
        var bytes = Encoding.UTF8.GetBytes(body);
        fixed (byte* b = bytes)
        {
            var chunk = FakeEnvoy.Buffer(b, bytes.Length);
            var hasBody = result == HttpCalloutResult.Success && bytes.Length > 0;
            HttpFilterDispatcher.HttpCalloutDone(_self, Module, calloutId, (int)result, native.Pointer, native.Count,
                hasBody ? &chunk : null, hasBody ? 1u : 0u);
        }
    }

    /// <summary>Delivers response headers of streaming callout <paramref name="streamId"/>.</summary>
    /// <param name="streamId">The stream's id.</param>
    /// <param name="endOfStream">True when no body or trailers follow.</param>
    /// <param name="headers">The headers, <c>:status</c> included.</param>
    public void DeliverHttpStreamHeaders(ulong streamId, bool endOfStream, params (string Name, string Value)[] headers)
    {
        using var scope = _envoy.Enter();
        using var native = new NativeHeaders(headers);
        HttpFilterDispatcher.HttpStreamHeaders(_self, Module, streamId, native.Pointer, native.Count, endOfStream);
    }

    /// <summary>Delivers response body bytes of streaming callout <paramref name="streamId"/> (one slice).</summary>
    /// <param name="streamId">The stream's id.</param>
    /// <param name="data">The bytes as text (empty delivers no slice).</param>
    /// <param name="endOfStream">True when no trailers follow.</param>
    public void DeliverHttpStreamData(ulong streamId, string data, bool endOfStream) =>
        DeliverHttpStreamData(streamId, Encoding.UTF8.GetBytes(data), endOfStream);

    /// <summary>Delivers binary response body bytes (a gRPC frame, say) of streaming callout <paramref name="streamId"/>.</summary>
    /// <param name="streamId">The stream's id.</param>
    /// <param name="bytes">The bytes (empty delivers no slice).</param>
    /// <param name="endOfStream">True when no trailers follow.</param>
    public void DeliverHttpStreamData(ulong streamId, byte[] bytes, bool endOfStream)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        using var scope = _envoy.Enter();
        fixed (byte* b = bytes)
        {
            var chunk = FakeEnvoy.Buffer(b, bytes.Length);
            HttpFilterDispatcher.HttpStreamData(_self, Module, streamId, bytes.Length == 0 ? null : &chunk, bytes.Length == 0 ? 0u : 1u, endOfStream);
        }
    }

    /// <summary>Delivers response trailers of streaming callout <paramref name="streamId"/>.</summary>
    /// <param name="streamId">The stream's id.</param>
    /// <param name="trailers">The trailers.</param>
    public void DeliverHttpStreamTrailers(ulong streamId, params (string Name, string Value)[] trailers)
    {
        using var scope = _envoy.Enter();
        using var native = new NativeHeaders(trailers);
        HttpFilterDispatcher.HttpStreamTrailers(_self, Module, streamId, native.Pointer, native.Count);
    }

    /// <summary>Ends streaming callout <paramref name="streamId"/> normally (the id is closed first).</summary>
    /// <param name="streamId">The stream's id.</param>
    public void DeliverHttpStreamComplete(ulong streamId)
    {
        Close(streamId);
        using var scope = _envoy.Enter();
        HttpFilterDispatcher.HttpStreamComplete(_self, Module, streamId);
    }

    /// <summary>Ends streaming callout <paramref name="streamId"/> with a reset (the id is closed first).</summary>
    /// <param name="streamId">The stream's id.</param>
    /// <param name="reason">The reason to report.</param>
    public void DeliverHttpStreamReset(ulong streamId, HttpStreamResetReason reason = HttpStreamResetReason.LocalReset)
    {
        Close(streamId);
        using var scope = _envoy.Enter();
        HttpFilterDispatcher.HttpStreamReset(_self, Module, streamId, (int)reason);
    }

    /// <summary>Runs stream_complete (the last hook that can reach the stream).</summary>
    public void Complete()
    {
        using var scope = _envoy.Enter();
        HttpFilterDispatcher.StreamComplete(_self, Module);
    }

    /// <summary>Runs destroy once (if not yet) and releases the stream's native memory.</summary>
    public void Dispose()
    {
        if (!_destroyed && _module != 0)
        {
            _destroyed = true;
            using var scope = _envoy.Enter();
            HttpFilterDispatcher.Destroy(_module);
        }
        Release();
    }

    // ---- used by the fake callbacks ----

    internal static FakeStream From(nint envoy) => (FakeStream)GCHandle.FromIntPtr(envoy).Target!;

    internal FakeEnvoy Envoy => _envoy;

    internal nint RouteModule => _route?.Module ?? 0;

    private nint Module => _destroyed ? throw new InvalidOperationException("the stream is destroyed") : _module;

    internal void Attach(nint module) => _module = module;

    internal void Release()
    {
        RequestHeaders.Free();
        RequestTrailers.Free();
        ResponseHeaders.Free();
        ResponseTrailers.Free();
        foreach (var body in new[] { ReceivedRequestBody, BufferedRequestBody, ReceivedResponseBody, BufferedResponseBody })
        {
            body.Unpin();
        }
        foreach (var p in _native)
        {
            NativeMemory.Free((void*)p);
        }
        _native.Clear();
        foreach (var scheduler in _schedulers)
        {
            GCHandle.FromIntPtr(scheduler).Free();
        }
        _schedulers.Clear();
        if (_self != 0)
        {
            GCHandle.FromIntPtr(_self).Free();
            _self = 0;
        }
    }

    internal FakeHeaderMap Headers(int type) => type switch
    {
        0 => RequestHeaders,
        1 => RequestTrailers,
        2 => ResponseHeaders,
        _ => ResponseTrailers,
    };

    internal FakeBody Body(int type) => type switch
    {
        0 => ReceivedRequestBody,
        1 => BufferedRequestBody,
        2 => ReceivedResponseBody,
        _ => BufferedResponseBody,
    };

    internal bool TryGetAttribute(AttributeId id, out byte[] value) => _stringAttributes.TryGetValue(id, out value!);

    internal bool TryGetAttribute(AttributeId id, out ulong value) => _intAttributes.TryGetValue(id, out value);

    internal void KeepNative(nint allocation) => _native.Add(allocation);

    internal void RecordLocalReply(FakeLocalReply reply) => LocalReply = reply;

    internal void RecordReset() => ResetCount++;

    internal void RecordContinueDecoding() => ContinueDecodingCount++;

    internal void RecordContinueEncoding() => ContinueEncodingCount++;

    internal nint NewScheduler()
    {
        var scheduler = GCHandle.ToIntPtr(GCHandle.Alloc(new FakeScheduler(this)));
        _schedulers.Add(scheduler);
        return scheduler;
    }

    internal void Commit(ulong eventId) => _commits.Enqueue(eventId);

    internal void DeleteScheduler(nint scheduler)
    {
        SchedulerDeletes++;
        if (_schedulers.Remove(scheduler))
        {
            GCHandle.FromIntPtr(scheduler).Free();
        }
    }

    internal int StartCallout(string cluster, IReadOnlyList<(string, string)> headers, string body, ulong timeoutMs, out ulong id)
    {
        id = 0;
        if (NextCalloutResult != HttpCalloutInitResult.Success)
        {
            return (int)NextCalloutResult;
        }
        id = _nextCalloutId++;
        _callouts.Add(new FakeCallout(id, cluster, headers, body, timeoutMs));
        return (int)HttpCalloutInitResult.Success;
    }

    internal int StartHttpStream(string cluster, IReadOnlyList<(string, string)> headers, byte[] body, bool endOfStream, ulong timeoutMs, out ulong id)
    {
        id = 0;
        if (NextCalloutResult != HttpCalloutInitResult.Success)
        {
            return (int)NextCalloutResult;
        }
        id = _nextCalloutId++;
        var stream = new FakeHttpStream(id, cluster, headers, endOfStream, timeoutMs);
        stream.AppendSent(body);
        _httpStreams.Add(stream);
        return (int)HttpCalloutInitResult.Success;
    }

    internal FakeHttpStream? OpenHttpStream(ulong id) => _httpStreams.FirstOrDefault(s => s.Id == id && s.IsOpen);

    internal void ResetHttpStreamByFilter(ulong id)
    {
        var stream = OpenHttpStream(id);
        if (stream is null)
        {
            return;
        }
        stream.IsOpen = false;
        stream.ResetByFilter = true;
        // Envoy runs the reset hook synchronously, inside the filter's reset call.
        HttpFilterDispatcher.HttpStreamReset(_self, _module, id, (int)HttpStreamResetReason.LocalReset);
    }

    private void Close(ulong streamId)
    {
        if (OpenHttpStream(streamId) is { } stream)
        {
            stream.IsOpen = false;
        }
    }

    /// <summary>What a scheduler pointer stands for.</summary>
    internal sealed class FakeScheduler(FakeStream stream)
    {
        public FakeStream Stream { get; } = stream;
    }

    /// <summary>Header pairs as Envoy's native header array, for delivering callout answers.</summary>
    private readonly struct NativeHeaders : IDisposable
    {
        private readonly FakeHeaderMap _storage;

        public NativeHeaders((string Name, string Value)[] headers)
        {
            _storage = new FakeHeaderMap();
            foreach (var (name, value) in headers)
            {
                _storage.Add(name, value);
            }
            Count = (nuint)headers.Length;
            Pointer = headers.Length == 0 ? null : (EnvoyHttpHeader*)NativeMemory.Alloc((nuint)(headers.Length * sizeof(EnvoyHttpHeader)));
            for (var i = 0; i < headers.Length; i++)
            {
                var (k, kl) = _storage.KeyPointerAt(i);
                var (v, vl) = _storage.ValueAt(i);
                Pointer[i] = new EnvoyHttpHeader { KeyPtr = (byte*)k, KeyLength = (nuint)kl, ValuePtr = (byte*)v, ValueLength = (nuint)vl };
            }
        }

        public EnvoyHttpHeader* Pointer { get; }

        public nuint Count { get; }

        public void Dispose()
        {
            if (Pointer != null)
            {
                NativeMemory.Free(Pointer);
            }
            _storage.Free();
        }
    }
}
