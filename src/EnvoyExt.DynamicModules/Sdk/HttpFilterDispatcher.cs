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
public static unsafe class HttpFilterDispatcher
{
    // ---------------- config level (main thread) ----------------

    public static nint ConfigNew(nint configEnvoy, EnvoyBuffer name, EnvoyBuffer config)
    {
        var filterName = "";
        try
        {
            filterName = Encoding.UTF8.GetString(name.AsSpan());
            if (!ModuleRuntime.Registry.TryGet(filterName, out var factory))
            {
                ModuleLog.Write(LogLevel.Error, $"envoyext: unknown filter_name '{filterName}' (known: {string.Join(", ", ModuleRuntime.Registry.Names)})");
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
            holder?.Config.Dispose();
        }
        catch (Exception ex)
        {
            ExceptionBarrier.LogOnly("envoyext: config_destroy", ex);
        }
    }

    public static nint PerRouteConfigNew(EnvoyBuffer name, EnvoyBuffer config)
    {
        var filterName = "";
        try
        {
            filterName = Encoding.UTF8.GetString(name.AsSpan());
            if (!ModuleRuntime.Registry.TryGet(filterName, out var factory))
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

    public static nint FilterNew(nint configModule, nint envoy)
    {
        var filterName = "envoyext";
        try
        {
            var holder = Unsafe.As<ConfigHolder>(GCHandle.FromIntPtr(configModule).Target!);
            filterName = holder.FilterName;
            var worker = WorkerIndex.Of(envoy);
            var filter = holder.Config.CreateFilter(worker);
            filter.BeginStream(envoy, worker, holder.FilterName);
            if (filter.Handle == 0)
            {
                filter.Handle = GCHandle.ToIntPtr(GCHandle.Alloc(filter));
            }
            return filter.Handle;
        }
        catch (Exception ex)
        {
            // NULL makes Envoy close the stream; no filter exists yet, so nothing else to clean up.
            ExceptionBarrier.LogOnly($"{filterName}: exception in {ExceptionBarrier.HookName(StreamHook.New)}", ex);
            return 0;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static HttpFilter FilterOf(nint filterModule) => Unsafe.As<HttpFilter>(GCHandle.FromIntPtr(filterModule).Target!);

    public static int RequestHeaders(nint envoy, nint filterModule, bool endOfStream)
    {
        HttpFilter? filter = null;
        try
        {
            filter = FilterOf(filterModule);
            if (filter.Faulted)
            {
                return (int)HeadersStatus.Continue;
            }
            return (int)filter.OnRequestHeaders(new HttpFilterContext(envoy, filter), endOfStream);
        }
        catch (Exception ex)
        {
            return ExceptionBarrier.Fail(filter, envoy, StreamHook.RequestHeaders, ex);
        }
    }

    public static int RequestBody(nint envoy, nint filterModule, bool endOfStream)
    {
        HttpFilter? filter = null;
        try
        {
            filter = FilterOf(filterModule);
            if (filter.Faulted)
            {
                return (int)BodyStatus.Continue;
            }
            return (int)filter.OnRequestBody(new HttpFilterContext(envoy, filter), endOfStream);
        }
        catch (Exception ex)
        {
            return ExceptionBarrier.Fail(filter, envoy, StreamHook.RequestBody, ex);
        }
    }

    public static int RequestTrailers(nint envoy, nint filterModule)
    {
        HttpFilter? filter = null;
        try
        {
            filter = FilterOf(filterModule);
            if (filter.Faulted)
            {
                return (int)TrailersStatus.Continue;
            }
            return (int)filter.OnRequestTrailers(new HttpFilterContext(envoy, filter));
        }
        catch (Exception ex)
        {
            return ExceptionBarrier.Fail(filter, envoy, StreamHook.RequestTrailers, ex);
        }
    }

    public static int ResponseHeaders(nint envoy, nint filterModule, bool endOfStream)
    {
        HttpFilter? filter = null;
        try
        {
            filter = FilterOf(filterModule);
            filter.ResponseStarted = true;
            if (filter.Faulted)
            {
                return (int)HeadersStatus.Continue;
            }
            return (int)filter.OnResponseHeaders(new HttpFilterContext(envoy, filter), endOfStream);
        }
        catch (Exception ex)
        {
            return ExceptionBarrier.Fail(filter, envoy, StreamHook.ResponseHeaders, ex);
        }
    }

    public static int ResponseBody(nint envoy, nint filterModule, bool endOfStream)
    {
        HttpFilter? filter = null;
        try
        {
            filter = FilterOf(filterModule);
            if (filter.Faulted)
            {
                return (int)BodyStatus.Continue;
            }
            return (int)filter.OnResponseBody(new HttpFilterContext(envoy, filter), endOfStream);
        }
        catch (Exception ex)
        {
            return ExceptionBarrier.Fail(filter, envoy, StreamHook.ResponseBody, ex);
        }
    }

    public static int ResponseTrailers(nint envoy, nint filterModule)
    {
        HttpFilter? filter = null;
        try
        {
            filter = FilterOf(filterModule);
            if (filter.Faulted)
            {
                return (int)TrailersStatus.Continue;
            }
            return (int)filter.OnResponseTrailers(new HttpFilterContext(envoy, filter));
        }
        catch (Exception ex)
        {
            return ExceptionBarrier.Fail(filter, envoy, StreamHook.ResponseTrailers, ex);
        }
    }

    public static void StreamComplete(nint envoy, nint filterModule)
    {
        HttpFilter? filter = null;
        try
        {
            filter = FilterOf(filterModule);
            // Runs even for a faulted filter: end-of-stream accounting must still balance.
            filter.OnStreamComplete(new HttpFilterContext(envoy, filter));
        }
        catch (Exception ex)
        {
            ExceptionBarrier.Fail(filter, envoy, StreamHook.StreamComplete, ex);
        }
    }

    public static void Scheduled(nint envoy, nint filterModule, ulong eventId)
    {
        HttpFilter? filter = null;
        try
        {
            filter = FilterOf(filterModule);
            if (filter.Faulted)
            {
                return;
            }
            filter.OnScheduled(new HttpFilterContext(envoy, filter), eventId);
        }
        catch (Exception ex)
        {
            ExceptionBarrier.Fail(filter, envoy, StreamHook.Scheduled, ex);
        }
    }

    public static void HttpCalloutDone(nint envoy, nint filterModule, ulong calloutId, int result,
                                       EnvoyHttpHeader* headers, nuint headerCount, EnvoyBuffer* chunks, nuint chunkCount)
    {
        HttpFilter? filter = null;
        try
        {
            filter = FilterOf(filterModule);
            if (filter.Faulted)
            {
                return;
            }
            filter.OnHttpCalloutDone(new HttpFilterContext(envoy, filter), calloutId, (HttpCalloutResult)result,
                new CalloutResponse(headers, headerCount, chunks, chunkCount));
        }
        catch (Exception ex)
        {
            ExceptionBarrier.Fail(filter, envoy, StreamHook.HttpCalloutDone, ex);
        }
    }

    public static int LocalReply(nint envoy, nint filterModule, uint status, EnvoyBuffer details, bool resetImminent)
    {
        HttpFilter? filter = null;
        try
        {
            filter = FilterOf(filterModule);
            if (filter.Faulted)
            {
                return (int)LocalReplyStatus.Continue;
            }
            return (int)filter.OnLocalReply(new HttpFilterContext(envoy, filter), status, details.AsSpan(), resetImminent);
        }
        catch (Exception ex)
        {
            return ExceptionBarrier.Fail(filter, envoy, StreamHook.LocalReply, ex);
        }
    }

    public static void AboveHighWatermark(nint envoy, nint filterModule)
    {
        HttpFilter? filter = null;
        try
        {
            filter = FilterOf(filterModule);
            if (filter.Faulted)
            {
                return;
            }
            filter.OnDownstreamAboveWriteBufferHighWatermark(new HttpFilterContext(envoy, filter));
        }
        catch (Exception ex)
        {
            ExceptionBarrier.Fail(filter, envoy, StreamHook.DownstreamAboveWriteBufferHighWatermark, ex);
        }
    }

    public static void BelowLowWatermark(nint envoy, nint filterModule)
    {
        HttpFilter? filter = null;
        try
        {
            filter = FilterOf(filterModule);
            if (filter.Faulted)
            {
                return;
            }
            filter.OnDownstreamBelowWriteBufferLowWatermark(new HttpFilterContext(envoy, filter));
        }
        catch (Exception ex)
        {
            ExceptionBarrier.Fail(filter, envoy, StreamHook.DownstreamBelowWriteBufferLowWatermark, ex);
        }
    }

    /// <summary>
    /// The last call for a stream (deferred in 1.40, no Envoy pointer). Deletes the scheduler, lets the
    /// filter return itself to its pool, and frees the GCHandle unless the pool kept the object.
    /// </summary>
    public static void Destroy(nint filterModule)
    {
        HttpFilter? filter = null;
        try
        {
            filter = FilterOf(filterModule);
            filter.StreamScheduler?.Delete();
            filter.StreamScheduler = null;
            filter.EnvoyPtr = 0;
            filter.OnDestroy();
        }
        catch (Exception ex)
        {
            ExceptionBarrier.Fail(filter, 0, StreamHook.Destroy, ex);
        }
        finally
        {
            if (filter is not null && !filter.ReturnedToPool && filter.Handle != 0)
            {
                GCHandle.FromIntPtr(filter.Handle).Free();
                filter.Handle = 0;
            }
        }
    }
}
