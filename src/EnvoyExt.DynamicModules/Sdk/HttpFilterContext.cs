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
    private readonly HttpFilter _filter;

    internal HttpFilterContext(nint envoy, HttpFilter filter)
    {
        _envoy = envoy;
        _filter = filter;
    }

    public HeaderMap RequestHeaders => new(_envoy, HttpHeaderType.RequestHeader);

    public HeaderMap RequestTrailers => new(_envoy, HttpHeaderType.RequestTrailer);

    public HeaderMap ResponseHeaders => new(_envoy, HttpHeaderType.ResponseHeader);

    public HeaderMap ResponseTrailers => new(_envoy, HttpHeaderType.ResponseTrailer);

    /// <summary>The request frame being delivered (request body hook only).</summary>
    public Body ReceivedRequestBody => new(_envoy, HttpBodyType.ReceivedRequestBody);

    public Body BufferedRequestBody => new(_envoy, HttpBodyType.BufferedRequestBody);

    /// <summary>The response frame being delivered (response body hook only).</summary>
    public Body ReceivedResponseBody => new(_envoy, HttpBodyType.ReceivedResponseBody);

    public Body BufferedResponseBody => new(_envoy, HttpBodyType.BufferedResponseBody);

    public StreamMetrics Metrics => new(_envoy);

    public uint WorkerIndex => _filter.WorkerIndex;

    /// <summary>The most specific per-route config of this filter for the stream's route, or null.</summary>
    public T? RouteConfig<T>() where T : class
    {
        var routeConfig = EnvoyCallbacks.GetMostSpecificRouteConfig(_envoy);
        if (routeConfig == 0)
        {
            return null;
        }
        return (GCHandle.FromIntPtr(routeConfig).Target as PerRouteConfigHolder)?.Config as T;
    }

    public bool TryGetAttributeString(AttributeId id, out ReadOnlySpan<byte> value)
    {
        EnvoyBuffer result = default;
        if (EnvoyCallbacks.GetAttributeString(_envoy, (int)id, &result) == 0)
        {
            value = default;
            return false;
        }
        value = result.AsSpan();
        return true;
    }

    public bool TryGetAttributeInt(AttributeId id, out ulong value)
    {
        ulong result = 0;
        var ok = EnvoyCallbacks.GetAttributeInt(_envoy, (int)id, &result) != 0;
        value = ok ? result : 0;
        return ok;
    }

    /// <summary>Sends a local reply; return a Stop status from the current hook afterwards.</summary>
    public void SendLocalResponse(uint status, ReadOnlySpan<byte> body, ReadOnlySpan<byte> details) =>
        SendLocalResponse(status, new HeaderList(default), body, details);

    /// <summary>Sends a local reply with headers; return a Stop status from the current hook afterwards.</summary>
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

    public void ResetStream(ReadOnlySpan<byte> details = default)
    {
        fixed (byte* d = details)
        {
            EnvoyCallbacks.HttpFilterResetStream(_envoy, (int)HttpFilterStreamResetReason.LocalReset, new ModuleBuffer(d, details.Length));
        }
    }

    /// <summary>The stream's scheduler (created once per stream, deleted by the SDK in destroy).</summary>
    public Scheduler NewScheduler()
    {
        if (_filter.StreamScheduler is { } existing)
        {
            return existing;
        }
        var ptr = EnvoyCallbacks.HttpFilterSchedulerNew(_envoy);
        if (ptr == 0)
        {
            throw new InvalidOperationException("Envoy returned no scheduler for this stream");
        }
        return _filter.StreamScheduler = new Scheduler(ptr);
    }

    /// <summary>
    /// Starts an HTTP callout to <paramref name="cluster"/>; headers must include :method, :path and
    /// host/:authority. On Success the answer arrives in <see cref="HttpFilter.OnHttpCalloutDone"/>.
    /// </summary>
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
}
