using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using EnvoyExt.DynamicModules.Abi;

namespace EnvoyExt.DynamicModules.Sdk;

/// <summary>
/// The stream as a hook sees it. A ref struct so it cannot outlive the hook: Envoy's pointers behind it
/// are only valid while the hook runs. Work that finishes later goes through <see cref="NewScheduler"/>.
/// </summary>
public readonly unsafe ref struct HttpFilterContext
{
    private readonly nint _envoy;
    private readonly FilterStream _stream;

    internal HttpFilterContext(nint envoy, FilterStream stream)
    {
        _envoy = envoy;
        _stream = stream;
    }

    /// <summary>The request headers (pseudo-headers included).</summary>
    public HeaderMap RequestHeaders => new(_envoy, HttpHeaderType.RequestHeader);

    /// <summary>The request trailers (empty until they arrive).</summary>
    public HeaderMap RequestTrailers => new(_envoy, HttpHeaderType.RequestTrailer);

    /// <summary>The response headers (<c>:status</c> included; empty until they arrive).</summary>
    public HeaderMap ResponseHeaders => new(_envoy, HttpHeaderType.ResponseHeader);

    /// <summary>The response trailers (empty until they arrive).</summary>
    public HeaderMap ResponseTrailers => new(_envoy, HttpHeaderType.ResponseTrailer);

    /// <summary>The request frame being delivered (request body hook only).</summary>
    public Body ReceivedRequestBody => new(_envoy, HttpBodyType.ReceivedRequestBody);

    /// <summary>What Envoy has buffered of the request body so far.</summary>
    public Body BufferedRequestBody => new(_envoy, HttpBodyType.BufferedRequestBody);

    /// <summary>The response frame being delivered (response body hook only).</summary>
    public Body ReceivedResponseBody => new(_envoy, HttpBodyType.ReceivedResponseBody);

    /// <summary>What Envoy has buffered of the response body so far.</summary>
    public Body BufferedResponseBody => new(_envoy, HttpBodyType.BufferedResponseBody);

    /// <summary>Records the metrics the config defined, for this stream.</summary>
    public StreamMetrics Metrics => new(_envoy);

    /// <summary>The stream's metadata: dynamic metadata written for later filters and access logs, and reads from every source.</summary>
    public StreamMetadata Metadata => new(_envoy);

    /// <summary>The worker that owns this stream (Envoy's worker index).</summary>
    public uint WorkerIndex => _stream.WorkerIndex;

    /// <summary>The most specific per-route config of this filter for the stream's route, or null.</summary>
    /// <remarks>
    /// Inlined so that the cast to <typeparamref name="T"/> is compiled for the caller's concrete type: a
    /// shared generic body would look the type up at run time on every request.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T? RouteConfig<T>() where T : class => RouteConfigObject() as T;

    private object? RouteConfigObject()
    {
        var routeConfig = LeafCallbacks.GetMostSpecificRouteConfig(_envoy);
        return routeConfig == 0 ? null : Unsafe.As<PerRouteConfigHolder>(GCHandle.FromIntPtr(routeConfig).Target)?.Config;
    }

    /// <summary>A string attribute of the stream (e.g. <see cref="AttributeId.SourceAddress"/>); the view dies with the hook.</summary>
    /// <param name="id">Which attribute.</param>
    /// <param name="value">Its bytes, or empty when Envoy has none.</param>
    /// <returns>False when Envoy has no such attribute for this stream.</returns>
    public bool TryGetAttributeString(AttributeId id, out ReadOnlySpan<byte> value)
    {
        EnvoyBuffer result = default;
        if (LeafCallbacks.GetAttributeString(_envoy, (int)id, &result) == 0)
        {
            value = default;
            return false;
        }
        value = result.AsSpan();
        return true;
    }

    /// <summary>
    /// The current value of a generic secret the config subscribed to; the view dies with the hook.
    /// Never log it. <see cref="SecretView{T}"/> keeps a parsed form per worker.
    /// </summary>
    /// <param name="secret">The subscription.</param>
    /// <param name="value">Its bytes, or empty when Envoy has no value.</param>
    /// <returns>False when Envoy has no value for it (not delivered yet, or removed).</returns>
    public bool TryGetSecret(SecretId secret, out ReadOnlySpan<byte> value)
    {
        EnvoyBuffer result = default;
        if (EnvoyCallbacks.HttpFilterGetGenericSecret == null || !secret.IsValid ||
            EnvoyCallbacks.HttpFilterGetGenericSecret(_envoy, secret.Value, &result) == 0)
        {
            value = default;
            return false;
        }
        value = result.AsSpan();
        return true;
    }

    /// <summary>An integer attribute of the stream (e.g. <see cref="AttributeId.SourcePort"/>).</summary>
    /// <param name="id">Which attribute.</param>
    /// <param name="value">Its value, or 0 when Envoy has none.</param>
    /// <returns>False when Envoy has no such attribute for this stream.</returns>
    public bool TryGetAttributeInt(AttributeId id, out ulong value)
    {
        ulong result = 0;
        var ok = LeafCallbacks.GetAttributeInt(_envoy, (int)id, &result) != 0;
        value = ok ? result : 0;
        return ok;
    }

    /// <summary>Sends a local reply; return a Stop status from the current hook afterwards.</summary>
    /// <param name="status">HTTP status.</param>
    /// <param name="body">Response body.</param>
    /// <param name="details">Response-code details for Envoy's access log (e.g. <c>rate_limited</c>).</param>
    public void SendLocalResponse(uint status, ReadOnlySpan<byte> body, ReadOnlySpan<byte> details) =>
        SendLocalResponse(status, new HeaderList(default), body, details);

    /// <summary>Sends a local reply with headers; return a Stop status from the current hook afterwards.</summary>
    /// <param name="status">HTTP status.</param>
    /// <param name="headers">Extra response headers.</param>
    /// <param name="body">Response body.</param>
    /// <param name="details">Response-code details for Envoy's access log (e.g. <c>rate_limited</c>).</param>
    public void SendLocalResponse(uint status, scoped in HeaderList headers, ReadOnlySpan<byte> body, ReadOnlySpan<byte> details)
    {
        var count = headers.Count;
        var array = stackalloc ModuleHttpHeader[Math.Max(count, 1)];
        fixed (byte* storage = headers.Storage)
        fixed (byte* b = body)
        fixed (byte* d = details)
        {
            headers.Fill(array, storage);
            EnvoyCallbacks.HttpSendResponse(_envoy, status, count == 0 ? null : array, (nuint)count,
                new ModuleBuffer(b, body.Length), new ModuleBuffer(d, details.Length));
        }
    }

    /// <summary>Resumes a request held by a Stop status (no-op while decoding is already running).</summary>
    public void ContinueDecoding() => EnvoyCallbacks.HttpFilterContinueDecoding(_envoy);

    /// <summary>Resumes a response held by a Stop status.</summary>
    public void ContinueEncoding() => EnvoyCallbacks.HttpFilterContinueEncoding(_envoy);

    /// <summary>Resets the stream (both directions).</summary>
    /// <param name="details">Reset details for Envoy's access log.</param>
    public void ResetStream(ReadOnlySpan<byte> details = default)
    {
        fixed (byte* d = details)
        {
            EnvoyCallbacks.HttpFilterResetStream(_envoy, (int)HttpFilterStreamResetReason.LocalReset, new ModuleBuffer(d, details.Length));
        }
    }

    /// <summary>The stream's scheduler (created once per stream, deleted by the SDK in destroy).</summary>
    /// <returns>The same scheduler for every call during one stream.</returns>
    /// <exception cref="InvalidOperationException">Envoy returned no scheduler.</exception>
    public Scheduler NewScheduler()
    {
        if (_stream.Scheduler is { } existing)
        {
            return existing;
        }
        var ptr = EnvoyCallbacks.HttpFilterSchedulerNew(_envoy);
        if (ptr == 0)
        {
            throw new InvalidOperationException("Envoy returned no scheduler for this stream");
        }
        _stream.RequireEndHooks(); // destroy deletes the scheduler
        return _stream.Scheduler = new Scheduler(ptr);
    }

    /// <summary>
    /// Asks for <see cref="HttpFilter.OnStreamComplete"/> and <see cref="HttpFilter.OnDestroy"/> on this
    /// stream, for a filter whose <see cref="HttpFilter.EndOfStreamHooks"/> is
    /// <see cref="EndOfStreamHooks.WhenRequested"/>: call it as soon as the stream holds something those
    /// hooks must release. Idempotent; cheap.
    /// </summary>
    public void RequestEndOfStreamHooks() => _stream.RequireEndHooks();

    /// <summary>
    /// Starts an HTTP callout to <paramref name="cluster"/>; headers must include :method, :path and
    /// host/:authority. On Success the answer arrives in <see cref="HttpFilter.OnHttpCalloutDone"/>.
    /// </summary>
    /// <param name="cluster">The upstream cluster's name.</param>
    /// <param name="headers">Request headers.</param>
    /// <param name="body">Request body (may be empty).</param>
    /// <param name="timeoutMs">Timeout in milliseconds.</param>
    /// <param name="calloutId">The id the done hook will carry.</param>
    /// <returns>Success, or why the callout could not start (then no hook follows).</returns>
    public HttpCalloutInitResult StartHttpCallout(ReadOnlySpan<byte> cluster, scoped in HeaderList headers,
                                                  ReadOnlySpan<byte> body, ulong timeoutMs, out ulong calloutId)
    {
        var count = headers.Count;
        var array = stackalloc ModuleHttpHeader[Math.Max(count, 1)];
        ulong id = 0;
        int result;
        fixed (byte* storage = headers.Storage)
        fixed (byte* c = cluster)
        fixed (byte* b = body)
        {
            headers.Fill(array, storage);
            result = EnvoyCallbacks.HttpFilterHttpCallout(_envoy, &id, new ModuleBuffer(c, cluster.Length),
                count == 0 ? null : array, (nuint)count, new ModuleBuffer(b, body.Length), timeoutMs);
        }
        calloutId = id;
        return (HttpCalloutInitResult)result;
    }

    /// <summary>
    /// Starts a streaming HTTP callout to <paramref name="cluster"/>: headers (with :method, :path and
    /// host/:authority) and an optional first body chunk now, more with <see cref="SendHttpStreamData"/>
    /// and <see cref="SendHttpStreamTrailers"/>. The response arrives in
    /// <see cref="HttpFilter.OnHttpStreamHeaders"/>, <see cref="HttpFilter.OnHttpStreamData"/> and
    /// <see cref="HttpFilter.OnHttpStreamTrailers"/>, then exactly one of
    /// <see cref="HttpFilter.OnHttpStreamComplete"/> or <see cref="HttpFilter.OnHttpStreamReset"/>.
    /// </summary>
    /// <param name="cluster">The upstream cluster's name.</param>
    /// <param name="headers">Request headers.</param>
    /// <param name="body">First request body bytes (may be empty).</param>
    /// <param name="endOfStream">True when the request ends here (no data or trailers follow).</param>
    /// <param name="timeoutMs">Timeout in milliseconds; 0 means none.</param>
    /// <param name="streamId">The id the stream hooks will carry.</param>
    /// <returns>Success, or why the stream could not start (then no hook follows).</returns>
    public HttpCalloutInitResult StartHttpStream(ReadOnlySpan<byte> cluster, scoped in HeaderList headers, ReadOnlySpan<byte> body,
                                                 bool endOfStream, ulong timeoutMs, out ulong streamId)
    {
        var count = headers.Count;
        var array = stackalloc ModuleHttpHeader[Math.Max(count, 1)];
        ulong id = 0;
        int result;
        fixed (byte* storage = headers.Storage)
        fixed (byte* c = cluster)
        fixed (byte* b = body)
        {
            headers.Fill(array, storage);
            result = EnvoyCallbacks.HttpFilterStartHttpStream(_envoy, &id, new ModuleBuffer(c, cluster.Length),
                count == 0 ? null : array, (nuint)count, new ModuleBuffer(b, body.Length), endOfStream ? (byte)1 : (byte)0, timeoutMs);
        }
        streamId = id;
        return (HttpCalloutInitResult)result;
    }

    /// <summary>Sends request body bytes on an open streaming callout.</summary>
    /// <param name="streamId">The id from <see cref="StartHttpStream"/>.</param>
    /// <param name="data">The bytes (Envoy copies them).</param>
    /// <param name="endOfStream">True when the request ends here.</param>
    /// <returns>False when the stream is not open (finished, reset or unknown) or already ended.</returns>
    public bool SendHttpStreamData(ulong streamId, ReadOnlySpan<byte> data, bool endOfStream)
    {
        fixed (byte* d = data)
        {
            return EnvoyCallbacks.HttpStreamSendData(_envoy, streamId, new ModuleBuffer(d, data.Length), endOfStream ? (byte)1 : (byte)0) != 0;
        }
    }

    /// <summary>Ends the request of an open streaming callout with trailers.</summary>
    /// <param name="streamId">The id from <see cref="StartHttpStream"/>.</param>
    /// <param name="trailers">The trailers (Envoy copies them).</param>
    /// <returns>False when the stream is not open or its request already ended.</returns>
    public bool SendHttpStreamTrailers(ulong streamId, scoped in HeaderList trailers)
    {
        var count = trailers.Count;
        var array = stackalloc ModuleHttpHeader[Math.Max(count, 1)];
        fixed (byte* storage = trailers.Storage)
        {
            trailers.Fill(array, storage);
            return EnvoyCallbacks.HttpStreamSendTrailers(_envoy, streamId, count == 0 ? null : array, (nuint)count) != 0;
        }
    }

    /// <summary>
    /// Cancels an open streaming callout. <see cref="HttpFilter.OnHttpStreamReset"/> runs inside this
    /// call (as Envoy's async stream does), so keep state consistent before calling.
    /// </summary>
    /// <param name="streamId">The id from <see cref="StartHttpStream"/>; unknown ids are ignored.</param>
    public void ResetHttpStream(ulong streamId) => EnvoyCallbacks.HttpFilterResetHttpStream(_envoy, streamId);
}
