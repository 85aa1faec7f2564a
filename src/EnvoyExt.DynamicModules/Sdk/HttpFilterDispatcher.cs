using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using EnvoyExt.DynamicModules.Abi;

namespace EnvoyExt.DynamicModules.Sdk;

/// <summary>
/// What each exported <c>envoy_dynamic_module_on_http_filter_*</c> hook calls. Maps Envoy's module
/// pointers (GCHandles) back to objects and runs the filter inside the exception barrier: no method
/// here lets an exception escape.
/// </summary>
internal static unsafe class HttpFilterDispatcher
{
    // ---------------- config level (main thread) ----------------

    public static nint ConfigNew(nint configEnvoy, EnvoyBuffer name, EnvoyBuffer config) =>
        ConfigNew(ModuleRuntime.Registry, configEnvoy, name, config);

    /// <summary>config_new against an explicit registry (the testing library keeps one per fake Envoy).</summary>
    public static nint ConfigNew(FilterRegistry registry, nint configEnvoy, EnvoyBuffer name, EnvoyBuffer config)
    {
        var filterName = "";
        try
        {
            filterName = Encoding.UTF8.GetString(name.AsSpan());
            if (!registry.TryGet(filterName, out var factory))
            {
                ModuleLog.Write(LogLevel.Error, $"envoyext: unknown filter_name '{filterName}' (known: {string.Join(", ", registry.Names)})");
                return 0;
            }
            var created = factory.CreateConfig(new FilterConfigContext(configEnvoy, filterName), config.AsSpan(), out var error);
            if (created is null)
            {
                ModuleLog.Write(LogLevel.Error, $"{filterName}: invalid filter config: {error ?? "rejected without a reason"}");
                return 0;
            }
            return GCHandle.ToIntPtr(GCHandle.Alloc(new ConfigHolder(filterName, created)));
        }
        catch (Exception ex)
        {
            ExceptionBarrier.LogOnly($"{filterName}: invalid filter config: exception while creating it", ex);
            return 0;
        }
    }

    public static void ConfigDestroy(nint configModule)
    {
        try
        {
            if (configModule == 0)
            {
                return;
            }
            var handle = GCHandle.FromIntPtr(configModule);
            var holder = handle.Target as ConfigHolder;
            handle.Free();
            holder?.Pool.Dispose();
            holder?.Config.Dispose();
        }
        catch (Exception ex)
        {
            ExceptionBarrier.LogOnly("envoyext: config_destroy", ex);
        }
    }

    public static nint PerRouteConfigNew(EnvoyBuffer name, EnvoyBuffer config) =>
        PerRouteConfigNew(ModuleRuntime.Registry, name, config);

    /// <summary>per_route_config_new against an explicit registry (see <see cref="ConfigNew(FilterRegistry, nint, EnvoyBuffer, EnvoyBuffer)"/>).</summary>
    public static nint PerRouteConfigNew(FilterRegistry registry, EnvoyBuffer name, EnvoyBuffer config)
    {
        var filterName = "";
        try
        {
            filterName = Encoding.UTF8.GetString(name.AsSpan());
            if (!registry.TryGet(filterName, out var factory))
            {
                ModuleLog.Write(LogLevel.Error, $"envoyext: unknown filter_name '{filterName}' in a per-route config");
                return 0;
            }
            var created = factory.CreatePerRouteConfig(config.AsSpan(), out var error);
            if (created is null)
            {
                ModuleLog.Write(LogLevel.Error, $"{filterName}: invalid per-route config: {error ?? "rejected without a reason"}");
                return 0;
            }
            return GCHandle.ToIntPtr(GCHandle.Alloc(new PerRouteConfigHolder(filterName, created)));
        }
        catch (Exception ex)
        {
            ExceptionBarrier.LogOnly($"{filterName}: invalid per-route config: exception while creating it", ex);
            return 0;
        }
    }

    public static void PerRouteConfigDestroy(nint routeModule)
    {
        try
        {
            if (routeModule == 0)
            {
                return;
            }
            var handle = GCHandle.FromIntPtr(routeModule);
            var holder = handle.Target as PerRouteConfigHolder;
            handle.Free();
            (holder?.Config as IDisposable)?.Dispose();
        }
        catch (Exception ex)
        {
            ExceptionBarrier.LogOnly("envoyext: per_route_config_destroy", ex);
        }
    }

    // ---------------- per stream (worker thread) ----------------

    /// <summary>
    /// filter_new for a host without the native stream entry (the testing library's fake Envoy): an
    /// unpooled slot that begins at its first hook, like the slots the native entry hands Envoy.
    /// </summary>
    public static nint FilterNew(nint configHandle, nint envoy) => (nint)StreamSlot.AllocateUnpooled(configHandle);

    /// <summary>The stream of a slot; begins it at the first hook after filter_new.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static FilterStream StreamOf(nint filterModule, nint envoy)
    {
        var slot = (StreamSlot*)filterModule;
        return (slot->Flags & StreamSlotFlags.Begin) == 0
            ? Unsafe.As<FilterStream>(GCHandle.FromIntPtr(slot->StreamHandle).Target!)
            : BeginStream(slot, envoy);
    }

    /// <summary>
    /// Binds the slot to a stream object (its own from the last stream, one of the config's pool, or a
    /// new one) and readies it for this stream. A failure marks the slot and throws, so the hook's
    /// barrier logs it and fails the stream (local 500, or reset once the response started). The slot
    /// stays unbound and keeps its begin flag, so every later hook comes back here and gets the config's
    /// faulted stand-in: the 500 passes through this filter's hooks to the client, logged once.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static FilterStream BeginStream(StreamSlot* slot, nint envoy)
    {
        var holder = Unsafe.As<ConfigHolder>(GCHandle.FromIntPtr(slot->ConfigHandle).Target!);
        if ((slot->Flags & StreamSlotFlags.BeginFailed) != 0)
        {
            return holder.NotBegun;
        }
        try
        {
            // A pooled slot carries the worker index the native entry already asked Envoy for.
            var worker = slot->Worker != uint.MaxValue ? slot->Worker : WorkerIndex.Of(envoy);
            FilterStream stream;
            if (slot->StreamHandle != 0)
            {
                stream = Unsafe.As<FilterStream>(GCHandle.FromIntPtr(slot->StreamHandle).Target!);
                try
                {
                    stream.Filter.PrepareForReuse();
                }
                catch
                {
                    slot->StreamHandle = 0; // an object that failed its reset serves no other stream
                    stream.FreeHandle();
                    throw;
                }
            }
            else
            {
                stream = holder.Rent(worker);
                slot->StreamHandle = stream.Handle;
            }
            stream.Begin(slot, envoy, worker);
            return stream;
        }
        catch (Exception ex)
        {
            slot->Flags |= StreamSlotFlags.BeginFailed;
            throw new StreamBeginException(holder.FilterName, ex);
        }
    }

    public static int RequestHeaders(nint envoy, nint filterModule, bool endOfStream)
    {
        FilterStream? stream = null;
        try
        {
            stream = StreamOf(filterModule, envoy);
            if (stream.Faulted)
            {
                return (int)HeadersStatus.Continue;
            }
            return (int)stream.Filter.OnRequestHeaders(new HttpFilterContext(envoy, stream), endOfStream);
        }
        catch (Exception ex)
        {
            return ExceptionBarrier.Fail(stream, envoy, StreamHook.RequestHeaders, ex);
        }
    }

    public static int RequestBody(nint envoy, nint filterModule, bool endOfStream)
    {
        FilterStream? stream = null;
        try
        {
            stream = StreamOf(filterModule, envoy);
            if (stream.Faulted)
            {
                return (int)BodyStatus.Continue;
            }
            return (int)stream.Filter.OnRequestBody(new HttpFilterContext(envoy, stream), endOfStream);
        }
        catch (Exception ex)
        {
            return ExceptionBarrier.Fail(stream, envoy, StreamHook.RequestBody, ex);
        }
    }

    public static int RequestTrailers(nint envoy, nint filterModule)
    {
        FilterStream? stream = null;
        try
        {
            stream = StreamOf(filterModule, envoy);
            if (stream.Faulted)
            {
                return (int)TrailersStatus.Continue;
            }
            return (int)stream.Filter.OnRequestTrailers(new HttpFilterContext(envoy, stream));
        }
        catch (Exception ex)
        {
            return ExceptionBarrier.Fail(stream, envoy, StreamHook.RequestTrailers, ex);
        }
    }

    public static int ResponseHeaders(nint envoy, nint filterModule, bool endOfStream)
    {
        FilterStream? stream = null;
        try
        {
            stream = StreamOf(filterModule, envoy);
            if (stream.Faulted)
            {
                // Not marked: only the barrier reads it, which only logs for a faulted stream, and the
                // not-begun stand-in is shared by workers.
                return (int)HeadersStatus.Continue;
            }
            stream.ResponseStarted = true;
            return (int)stream.Filter.OnResponseHeaders(new HttpFilterContext(envoy, stream), endOfStream);
        }
        catch (Exception ex)
        {
            return ExceptionBarrier.Fail(stream, envoy, StreamHook.ResponseHeaders, ex);
        }
    }

    public static int ResponseBody(nint envoy, nint filterModule, bool endOfStream)
    {
        FilterStream? stream = null;
        try
        {
            stream = StreamOf(filterModule, envoy);
            if (stream.Faulted)
            {
                return (int)BodyStatus.Continue;
            }
            return (int)stream.Filter.OnResponseBody(new HttpFilterContext(envoy, stream), endOfStream);
        }
        catch (Exception ex)
        {
            return ExceptionBarrier.Fail(stream, envoy, StreamHook.ResponseBody, ex);
        }
    }

    public static int ResponseTrailers(nint envoy, nint filterModule)
    {
        FilterStream? stream = null;
        try
        {
            stream = StreamOf(filterModule, envoy);
            if (stream.Faulted)
            {
                return (int)TrailersStatus.Continue;
            }
            return (int)stream.Filter.OnResponseTrailers(new HttpFilterContext(envoy, stream));
        }
        catch (Exception ex)
        {
            return ExceptionBarrier.Fail(stream, envoy, StreamHook.ResponseTrailers, ex);
        }
    }

    /// <summary>stream_complete; the native entry calls it only for a slot marked <see cref="StreamSlotFlags.EndHooks"/>.</summary>
    public static void StreamComplete(nint envoy, nint filterModule)
    {
        FilterStream? stream = null;
        try
        {
            if ((((StreamSlot*)filterModule)->Flags & StreamSlotFlags.EndHooks) == 0)
            {
                return;
            }
            stream = StreamOf(filterModule, envoy);
            // Runs even for a faulted filter: end-of-stream accounting must still balance.
            stream.Filter.OnStreamComplete(new HttpFilterContext(envoy, stream));
            if (!stream.Faulted) // a faulted stream keeps its fallback OnDestroy; the shared stand-in is never written
            {
                stream.Completed = true;
                if (!stream.DestroyAfterComplete && stream.Scheduler is null)
                {
                    // Nothing is left for destroy: the native entry pools the slot without entering .NET.
                    ((StreamSlot*)filterModule)->Flags &= ~StreamSlotFlags.EndHooks;
                }
            }
        }
        catch (Exception ex)
        {
            ExceptionBarrier.Fail(stream, envoy, StreamHook.StreamComplete, ex);
        }
    }

    public static void Scheduled(nint envoy, nint filterModule, ulong eventId)
    {
        FilterStream? stream = null;
        try
        {
            stream = StreamOf(filterModule, envoy);
            if (stream.Faulted)
            {
                return;
            }
            stream.Filter.OnScheduled(new HttpFilterContext(envoy, stream), eventId);
        }
        catch (Exception ex)
        {
            ExceptionBarrier.Fail(stream, envoy, StreamHook.Scheduled, ex);
        }
    }

    public static void HttpCalloutDone(nint envoy, nint filterModule, ulong calloutId, int result,
                                       EnvoyHttpHeader* headers, nuint headerCount, EnvoyBuffer* chunks, nuint chunkCount)
    {
        FilterStream? stream = null;
        try
        {
            stream = StreamOf(filterModule, envoy);
            if (stream.Faulted)
            {
                return;
            }
            stream.Filter.OnHttpCalloutDone(new HttpFilterContext(envoy, stream), calloutId, (HttpCalloutResult)result,
                new CalloutResponse(headers, headerCount, chunks, chunkCount));
        }
        catch (Exception ex)
        {
            ExceptionBarrier.Fail(stream, envoy, StreamHook.HttpCalloutDone, ex);
        }
    }

    public static int LocalReply(nint envoy, nint filterModule, uint status, EnvoyBuffer details, bool resetImminent)
    {
        FilterStream? stream = null;
        try
        {
            stream = StreamOf(filterModule, envoy);
            if (stream.Faulted)
            {
                return (int)LocalReplyStatus.Continue;
            }
            return (int)stream.Filter.OnLocalReply(new HttpFilterContext(envoy, stream), status, details.AsSpan(), resetImminent);
        }
        catch (Exception ex)
        {
            return ExceptionBarrier.Fail(stream, envoy, StreamHook.LocalReply, ex);
        }
    }

    public static void AboveHighWatermark(nint envoy, nint filterModule)
    {
        FilterStream? stream = null;
        try
        {
            stream = StreamOf(filterModule, envoy);
            if (stream.Faulted)
            {
                return;
            }
            stream.Filter.OnDownstreamAboveWriteBufferHighWatermark(new HttpFilterContext(envoy, stream));
        }
        catch (Exception ex)
        {
            ExceptionBarrier.Fail(stream, envoy, StreamHook.DownstreamAboveWriteBufferHighWatermark, ex);
        }
    }

    public static void BelowLowWatermark(nint envoy, nint filterModule)
    {
        FilterStream? stream = null;
        try
        {
            stream = StreamOf(filterModule, envoy);
            if (stream.Faulted)
            {
                return;
            }
            stream.Filter.OnDownstreamBelowWriteBufferLowWatermark(new HttpFilterContext(envoy, stream));
        }
        catch (Exception ex)
        {
            ExceptionBarrier.Fail(stream, envoy, StreamHook.DownstreamBelowWriteBufferLowWatermark, ex);
        }
    }

    // ---------------- streaming callouts (worker thread) ----------------

    public static void HttpStreamHeaders(nint envoy, nint filterModule, ulong streamId, EnvoyHttpHeader* headers, nuint count, bool endOfStream)
    {
        FilterStream? stream = null;
        try
        {
            stream = StreamOf(filterModule, envoy);
            if (stream.Faulted)
            {
                return;
            }
            stream.Filter.OnHttpStreamHeaders(new HttpFilterContext(envoy, stream), streamId, new CalloutHeaders(headers, count), endOfStream);
        }
        catch (Exception ex)
        {
            ExceptionBarrier.Fail(stream, envoy, StreamHook.HttpStreamHeaders, ex);
        }
    }

    public static void HttpStreamData(nint envoy, nint filterModule, ulong streamId, EnvoyBuffer* data, nuint count, bool endOfStream)
    {
        FilterStream? stream = null;
        try
        {
            stream = StreamOf(filterModule, envoy);
            if (stream.Faulted)
            {
                return;
            }
            stream.Filter.OnHttpStreamData(new HttpFilterContext(envoy, stream), streamId, new CalloutBody(data, count), endOfStream);
        }
        catch (Exception ex)
        {
            ExceptionBarrier.Fail(stream, envoy, StreamHook.HttpStreamData, ex);
        }
    }

    public static void HttpStreamTrailers(nint envoy, nint filterModule, ulong streamId, EnvoyHttpHeader* trailers, nuint count)
    {
        FilterStream? stream = null;
        try
        {
            stream = StreamOf(filterModule, envoy);
            if (stream.Faulted)
            {
                return;
            }
            stream.Filter.OnHttpStreamTrailers(new HttpFilterContext(envoy, stream), streamId, new CalloutHeaders(trailers, count));
        }
        catch (Exception ex)
        {
            ExceptionBarrier.Fail(stream, envoy, StreamHook.HttpStreamTrailers, ex);
        }
    }

    public static void HttpStreamComplete(nint envoy, nint filterModule, ulong streamId)
    {
        FilterStream? stream = null;
        try
        {
            stream = StreamOf(filterModule, envoy);
            if (stream.Faulted)
            {
                return;
            }
            stream.Filter.OnHttpStreamComplete(new HttpFilterContext(envoy, stream), streamId);
        }
        catch (Exception ex)
        {
            ExceptionBarrier.Fail(stream, envoy, StreamHook.HttpStreamComplete, ex);
        }
    }

    public static void HttpStreamReset(nint envoy, nint filterModule, ulong streamId, int reason)
    {
        FilterStream? stream = null;
        try
        {
            stream = StreamOf(filterModule, envoy);
            if (stream.Faulted)
            {
                return;
            }
            stream.Filter.OnHttpStreamReset(new HttpFilterContext(envoy, stream), streamId, (HttpStreamResetReason)reason);
        }
        catch (Exception ex)
        {
            ExceptionBarrier.Fail(stream, envoy, StreamHook.HttpStreamReset, ex);
        }
    }

    /// <summary>destroy for a host without the native entry: the same steps, then the slot is freed.</summary>
    public static void Destroy(nint filterModule)
    {
        var slot = (StreamSlot*)filterModule;
        if (slot == null)
        {
            return;
        }
        if ((slot->Flags & StreamSlotFlags.EndHooks) != 0 || slot->StreamHandle != 0)
        {
            DestroyStream(slot, keepBinding: false);
        }
        StreamSlot.FreeUnpooled(slot);
    }

    /// <summary>
    /// The last call for a stream (deferred in 1.40, no Envoy pointer). For a slot marked
    /// <see cref="StreamSlotFlags.EndHooks"/>: deletes the scheduler and runs the filter's OnDestroy (unless
    /// the filter declared it a fallback and OnStreamComplete ran to its end); a
    /// stream whose filter faulted or whose OnDestroy threw is not reused, and its handle is freed.
    /// Otherwise the object stays bound to the slot when <paramref name="keepBinding"/> (the native
    /// entry pools the slot) or goes back to its config's pool.
    /// </summary>
    /// <returns>True when the slot still holds the stream.</returns>
    public static bool DestroyStream(StreamSlot* slot, bool keepBinding)
    {
        if (slot->StreamHandle == 0)
        {
            return false;
        }
        FilterStream? stream = null;
        var reusable = false;
        try
        {
            stream = Unsafe.As<FilterStream>(GCHandle.FromIntPtr(slot->StreamHandle).Target!);
            if ((slot->Flags & (StreamSlotFlags.Begin | StreamSlotFlags.EndHooks)) == StreamSlotFlags.EndHooks)
            {
                stream.Scheduler?.Delete();
                stream.Scheduler = null;
                stream.EnvoyPtr = 0;
                if (!stream.Completed || stream.DestroyAfterComplete)
                {
                    stream.Filter.OnDestroy();
                }
            }
            reusable = !stream.Faulted;
        }
        catch (Exception ex)
        {
            ExceptionBarrier.Fail(stream, 0, StreamHook.Destroy, ex);
        }
        if (keepBinding && reusable)
        {
            return true;
        }
        slot->StreamHandle = 0;
        if (stream is not null && !(reusable && stream.Owner.Pool.Return(stream)))
        {
            stream.FreeHandle();
        }
        return false;
    }
}
