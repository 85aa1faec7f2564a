namespace EnvoyExt.DynamicModules.Sdk;

/// <summary>
/// One HTTP stream's filter. Every hook runs on the stream's worker inside the exception barrier and
/// gets a <see cref="HttpFilterContext"/> that cannot be stored. Hooks can re-enter (a local response or
/// a continue call may run other hooks of the same filter before it returns), so keep state consistent
/// before calling into the context.
/// </summary>
/// <remarks>
/// The SDK pools filter objects per worker: one object serves many streams, one at a time. Keep
/// per-stream fields in the state of <see cref="HttpFilter{TStreamState}"/>, which the SDK clears before
/// every reuse, or clear them in <see cref="OnReuse"/>. The SDK's own per-stream bookkeeping (Envoy's
/// pointer, the handle Envoy holds, the fault flag, the scheduler) is not on this class.
/// </remarks>
public abstract class HttpFilter
{
    /// <summary>Request headers arrived.</summary>
    /// <param name="ctx">The stream, for this call only.</param>
    /// <param name="endOfStream">True when the request has no body and no trailers.</param>
    /// <returns>Continue, or a Stop status to hold the request (resume with <see cref="HttpFilterContext.ContinueDecoding"/>).</returns>
    public virtual HeadersStatus OnRequestHeaders(HttpFilterContext ctx, bool endOfStream) => HeadersStatus.Continue;

    /// <summary>A request body frame arrived (<see cref="HttpFilterContext.ReceivedRequestBody"/>).</summary>
    /// <param name="ctx">The stream, for this call only.</param>
    /// <param name="endOfStream">True for the last frame when no trailers follow.</param>
    /// <returns>Continue, or a Stop status to hold or buffer the body.</returns>
    public virtual BodyStatus OnRequestBody(HttpFilterContext ctx, bool endOfStream) => BodyStatus.Continue;

    /// <summary>Request trailers arrived.</summary>
    /// <param name="ctx">The stream, for this call only.</param>
    /// <returns>Continue, or StopIteration to hold them.</returns>
    public virtual TrailersStatus OnRequestTrailers(HttpFilterContext ctx) => TrailersStatus.Continue;

    /// <summary>Response headers arrived (from upstream or from a local reply).</summary>
    /// <param name="ctx">The stream, for this call only.</param>
    /// <param name="endOfStream">True when the response has no body and no trailers.</param>
    /// <returns>Continue, or a Stop status to hold the response (resume with <see cref="HttpFilterContext.ContinueEncoding"/>).</returns>
    public virtual HeadersStatus OnResponseHeaders(HttpFilterContext ctx, bool endOfStream) => HeadersStatus.Continue;

    /// <summary>A response body frame arrived (<see cref="HttpFilterContext.ReceivedResponseBody"/>).</summary>
    /// <param name="ctx">The stream, for this call only.</param>
    /// <param name="endOfStream">True for the last frame when no trailers follow.</param>
    /// <returns>Continue, or a Stop status to hold or buffer the body.</returns>
    public virtual BodyStatus OnResponseBody(HttpFilterContext ctx, bool endOfStream) => BodyStatus.Continue;

    /// <summary>Response trailers arrived.</summary>
    /// <param name="ctx">The stream, for this call only.</param>
    /// <returns>Continue, or StopIteration to hold them.</returns>
    public virtual TrailersStatus OnResponseTrailers(HttpFilterContext ctx) => TrailersStatus.Continue;

    /// <summary>Before destroy; the last hook that can still reach the stream (do accounting here). Runs even after a fault.</summary>
    /// <param name="ctx">The stream, for this call only.</param>
    public virtual void OnStreamComplete(HttpFilterContext ctx) { }

    /// <summary>On the worker, after <see cref="Scheduler.Commit"/> from any thread.</summary>
    /// <param name="ctx">The stream, for this call only.</param>
    /// <param name="eventId">The id given to <see cref="Scheduler.Commit"/>.</param>
    public virtual void OnScheduled(HttpFilterContext ctx, ulong eventId) { }

    /// <summary>The response of <see cref="HttpFilterContext.StartHttpCallout"/>; views die with the hook.</summary>
    /// <param name="ctx">The stream, for this call only.</param>
    /// <param name="calloutId">The id <see cref="HttpFilterContext.StartHttpCallout"/> returned.</param>
    /// <param name="result">Success, or why no complete response came back.</param>
    /// <param name="response">Headers (with <c>:status</c>) and body; empty unless <paramref name="result"/> is Success.</param>
    public virtual void OnHttpCalloutDone(HttpFilterContext ctx, ulong calloutId, HttpCalloutResult result, CalloutResponse response) { }

    /// <summary>Response headers of a streaming callout (<see cref="HttpFilterContext.StartHttpStream"/>), <c>:status</c> included.</summary>
    /// <param name="ctx">The stream, for this call only.</param>
    /// <param name="streamId">The callout's id.</param>
    /// <param name="headers">The headers; the view dies with the hook.</param>
    /// <param name="endOfStream">True when no body or trailers follow.</param>
    public virtual void OnHttpStreamHeaders(HttpFilterContext ctx, ulong streamId, CalloutHeaders headers, bool endOfStream) { }

    /// <summary>Response body bytes of a streaming callout.</summary>
    /// <param name="ctx">The stream, for this call only.</param>
    /// <param name="streamId">The callout's id.</param>
    /// <param name="data">The bytes of this frame (possibly none); the view dies with the hook.</param>
    /// <param name="endOfStream">True when no trailers follow.</param>
    public virtual void OnHttpStreamData(HttpFilterContext ctx, ulong streamId, CalloutBody data, bool endOfStream) { }

    /// <summary>Response trailers of a streaming callout (gRPC's <c>grpc-status</c> arrives here).</summary>
    /// <param name="ctx">The stream, for this call only.</param>
    /// <param name="streamId">The callout's id.</param>
    /// <param name="trailers">The trailers; the view dies with the hook.</param>
    public virtual void OnHttpStreamTrailers(HttpFilterContext ctx, ulong streamId, CalloutHeaders trailers) { }

    /// <summary>The streaming callout finished normally; its id is invalid afterwards.</summary>
    /// <param name="ctx">The stream, for this call only.</param>
    /// <param name="streamId">The callout's id.</param>
    public virtual void OnHttpStreamComplete(HttpFilterContext ctx, ulong streamId) { }

    /// <summary>
    /// The streaming callout failed, timed out or was reset by <see cref="HttpFilterContext.ResetHttpStream"/>
    /// (then this runs inside that call); its id is invalid afterwards.
    /// </summary>
    /// <param name="ctx">The stream, for this call only.</param>
    /// <param name="streamId">The callout's id.</param>
    /// <param name="reason">Envoy's reason (1.40 reports LocalReset for every cause).</param>
    public virtual void OnHttpStreamReset(HttpFilterContext ctx, ulong streamId, HttpStreamResetReason reason) { }

    /// <summary>A local reply is about to be sent on this stream (by any filter).</summary>
    /// <param name="ctx">The stream, for this call only.</param>
    /// <param name="status">The reply's HTTP status.</param>
    /// <param name="details">The reply's response-code details.</param>
    /// <param name="resetImminent">True when Envoy will reset the stream instead of replying.</param>
    /// <returns>Continue, or ContinueAndResetStream to reset instead.</returns>
    public virtual LocalReplyStatus OnLocalReply(HttpFilterContext ctx, uint status, ReadOnlySpan<byte> details, bool resetImminent) =>
        LocalReplyStatus.Continue;

    /// <summary>Back-pressure from the downstream connection (terminal filters); may repeat.</summary>
    /// <param name="ctx">The stream, for this call only.</param>
    public virtual void OnDownstreamAboveWriteBufferHighWatermark(HttpFilterContext ctx) { }

    /// <summary>The downstream connection drained below its low watermark (terminal filters).</summary>
    /// <param name="ctx">The stream, for this call only.</param>
    public virtual void OnDownstreamBelowWriteBufferLowWatermark(HttpFilterContext ctx) { }

    /// <summary>
    /// The last call for a stream (deferred in 1.40, no stream access): release what the stream held.
    /// The SDK pools the object afterwards unless this threw or a hook faulted. With
    /// <see cref="DestroyAfterStreamComplete"/> false it runs only on streams whose
    /// <see cref="OnStreamComplete"/> did not run to its end or whose filter faulted.
    /// </summary>
    public virtual void OnDestroy() { }

    /// <summary>
    /// Whether <see cref="OnStreamComplete"/> and <see cref="OnDestroy"/> run on every stream (the
    /// default) or only on streams that asked with <see cref="HttpFilterContext.RequestEndOfStreamHooks"/>.
    /// On the other streams the module answers both hooks natively, which spares two entries into .NET
    /// per stream: worth it for a filter that holds something to release on a few streams only.
    /// Read once per filter object.
    /// </summary>
    protected virtual EndOfStreamHooks EndOfStreamHooks => EndOfStreamHooks.Always;

    /// <summary>The SDK's read of <see cref="EndOfStreamHooks"/>.</summary>
    internal EndOfStreamHooks EndOfStreamHooksChoice => EndOfStreamHooks;

    /// <summary>
    /// Whether <see cref="OnDestroy"/> also runs after <see cref="OnStreamComplete"/> ran to its end (the
    /// default). A filter that releases everything in OnStreamComplete and keeps OnDestroy as the fallback
    /// for a stream that never completed says false: destroy then stays in the module's native entry on
    /// streams with nothing else for it (no scheduler, no fault), one entry into .NET less per stream.
    /// Read once per filter object.
    /// </summary>
    protected virtual bool DestroyAfterStreamComplete => true;

    /// <summary>The SDK's read of <see cref="DestroyAfterStreamComplete"/>.</summary>
    internal bool DestroyAfterStreamCompleteChoice => DestroyAfterStreamComplete;

    /// <summary>
    /// Called by the SDK before a pooled object serves its next stream, after the SDK cleared the
    /// state of <see cref="HttpFilter{TStreamState}"/>. Clear what that state does not cover
    /// (e.g. reusable buffers).
    /// </summary>
    protected virtual void OnReuse() { }

    /// <summary>The dispatcher's reset before reuse; <see cref="HttpFilter{TStreamState}"/> clears its state here.</summary>
    internal virtual void PrepareForReuse() => OnReuse();
}

/// <summary>When a filter's <see cref="HttpFilter.OnStreamComplete"/> and <see cref="HttpFilter.OnDestroy"/> run.</summary>
public enum EndOfStreamHooks
{
    /// <summary>On every stream.</summary>
    Always,

    /// <summary>Only on streams that called <see cref="HttpFilterContext.RequestEndOfStreamHooks"/> (and on streams whose filter faulted or made a scheduler).</summary>
    WhenRequested,
}

/// <summary>
/// A filter whose per-stream fields live in one struct that the SDK resets to <c>default</c> before the
/// object serves its next stream, so no field can carry one stream's data into another.
/// </summary>
/// <typeparam name="TStreamState">The per-stream fields; <c>default</c> is the state of a new stream.</typeparam>
public abstract class HttpFilter<TStreamState> : HttpFilter where TStreamState : struct
{
    private TStreamState _state;

    /// <summary>This stream's state, by reference (assign fields in place).</summary>
    protected ref TStreamState State => ref _state;

    internal sealed override void PrepareForReuse()
    {
        _state = default;
        OnReuse();
    }
}
