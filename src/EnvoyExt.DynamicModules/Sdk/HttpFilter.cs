namespace EnvoyExt.DynamicModules.Sdk;

/// <summary>
/// One HTTP stream's filter. Every hook runs on the stream's worker inside the exception barrier and
/// gets a <see cref="HttpFilterContext"/> that cannot be stored. Hooks can re-enter (a local response or
/// a continue call may run other hooks of the same filter before it returns), so keep state consistent
/// before calling into the context.
/// </summary>
public abstract class HttpFilter
{
    // ---- SDK-owned per-stream state; reset by the dispatcher in filter_new. ----
    internal nint EnvoyPtr;           // fe: valid from filter_new until destroy
    internal nint Handle;             // GCHandle that Envoy holds as fm; kept while the object is pooled
    internal bool ResponseStarted;    // decides local 500 vs reset when a hook fails
    internal bool Faulted;            // after a failure the filter is bypassed for the rest of the stream
    internal bool ReturnedToPool;     // set by FilterPool.Return during OnDestroy
    internal Scheduler? StreamScheduler;
    internal string FilterName = "";

    /// <summary>The worker that owns this stream (Envoy's worker index).</summary>
    public uint WorkerIndex { get; internal set; }

    public virtual HeadersStatus OnRequestHeaders(HttpFilterContext ctx, bool endOfStream) => HeadersStatus.Continue;

    public virtual BodyStatus OnRequestBody(HttpFilterContext ctx, bool endOfStream) => BodyStatus.Continue;

    public virtual TrailersStatus OnRequestTrailers(HttpFilterContext ctx) => TrailersStatus.Continue;

    public virtual HeadersStatus OnResponseHeaders(HttpFilterContext ctx, bool endOfStream) => HeadersStatus.Continue;

    public virtual BodyStatus OnResponseBody(HttpFilterContext ctx, bool endOfStream) => BodyStatus.Continue;

    public virtual TrailersStatus OnResponseTrailers(HttpFilterContext ctx) => TrailersStatus.Continue;

    /// <summary>Before destroy; the last hook that can still reach the stream (do accounting here).</summary>
    public virtual void OnStreamComplete(HttpFilterContext ctx) { }

    /// <summary>On the worker, after <see cref="Scheduler.Commit"/> from any thread.</summary>
    public virtual void OnScheduled(HttpFilterContext ctx, ulong eventId) { }

    /// <summary>The response of <see cref="HttpFilterContext.StartHttpCallout"/>; views die with the hook.</summary>
    public virtual void OnHttpCalloutDone(HttpFilterContext ctx, ulong calloutId, HttpCalloutResult result, CalloutResponse response) { }

    public virtual LocalReplyStatus OnLocalReply(HttpFilterContext ctx, uint status, ReadOnlySpan<byte> details, bool resetImminent) =>
        LocalReplyStatus.Continue;

    /// <summary>Back-pressure from the downstream connection (terminal filters); may repeat.</summary>
    public virtual void OnDownstreamAboveWriteBufferHighWatermark(HttpFilterContext ctx) { }

    public virtual void OnDownstreamBelowWriteBufferLowWatermark(HttpFilterContext ctx) { }

    /// <summary>
    /// The last call (deferred in 1.40, no stream access). Reset per-stream fields and return the object
    /// to its pool here.
    /// </summary>
    public virtual void OnDestroy() { }

    internal void BeginStream(nint envoyPtr, uint workerIndex, string filterName)
    {
        EnvoyPtr = envoyPtr;
        WorkerIndex = workerIndex;
        FilterName = filterName;
        ResponseStarted = false;
        Faulted = false;
        ReturnedToPool = false;
        StreamScheduler = null;
    }
}
