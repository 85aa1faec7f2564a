using EnvoyExt.DynamicModules.Abi;

namespace EnvoyExt.DynamicModules.Sdk;

/// <summary>The hook a failure happened in; the names are the ABI's hook suffixes.</summary>
internal enum StreamHook
{
    RequestHeaders,
    RequestBody,
    RequestTrailers,
    ResponseHeaders,
    ResponseBody,
    ResponseTrailers,
    StreamComplete,
    Scheduled,
    HttpCalloutDone,
    LocalReply,
    DownstreamAboveWriteBufferHighWatermark,
    DownstreamBelowWriteBufferLowWatermark,
    Destroy,
    HttpStreamHeaders,
    HttpStreamData,
    HttpStreamTrailers,
    HttpStreamComplete,
    HttpStreamReset,
}

/// <summary>What the barrier does to the stream after a hook threw.</summary>
internal enum BarrierAction
{
    /// <summary>Local 500, then the hook returns a Stop status: nothing half-processed goes upstream.</summary>
    SendLocal500,
    /// <summary>The response is already on its way, so a 500 is impossible: reset the stream.</summary>
    ResetStream,
    /// <summary>The stream is finished or unreachable (stream_complete, destroy), or its reply is under way (local_reply): only log.</summary>
    LogOnly,
}

/// <summary>
/// Keeps managed exceptions from crossing into Envoy (that would FailFast the whole proxy). The decision
/// is a pure function of the hook and of whether response headers already went downstream, so it is
/// unit-tested without Envoy; <see cref="Fail"/> then applies it through the callback table.
/// </summary>
internal static unsafe class ExceptionBarrier
{
    public static readonly string[] HookNames =
    [
        "request_headers", "request_body", "request_trailers",
        "response_headers", "response_body", "response_trailers",
        "stream_complete", "scheduled", "http_callout_done", "local_reply",
        "downstream_above_write_buffer_high_watermark", "downstream_below_write_buffer_low_watermark",
        "destroy",
        "http_stream_headers", "http_stream_data", "http_stream_trailers", "http_stream_complete", "http_stream_reset",
    ];

    public static string HookName(StreamHook hook) => HookNames[(int)hook];

    public static BarrierAction Decide(StreamHook hook, bool responseStarted) => hook switch
    {
        StreamHook.RequestHeaders or StreamHook.RequestBody or StreamHook.RequestTrailers or
        StreamHook.Scheduled or StreamHook.HttpCalloutDone or
        StreamHook.HttpStreamHeaders or StreamHook.HttpStreamData or StreamHook.HttpStreamTrailers or
        StreamHook.HttpStreamComplete or StreamHook.HttpStreamReset or
        StreamHook.DownstreamAboveWriteBufferHighWatermark or StreamHook.DownstreamBelowWriteBufferLowWatermark =>
            responseStarted ? BarrierAction.ResetStream : BarrierAction.SendLocal500,
        StreamHook.ResponseHeaders or StreamHook.ResponseBody or StreamHook.ResponseTrailers => BarrierAction.ResetStream,
        _ => BarrierAction.LogOnly,
    };

    /// <summary>The status a failed hook returns to Envoy (as the ABI's int).</summary>
    public static int FailedStatus(StreamHook hook) => hook switch
    {
        StreamHook.RequestHeaders or StreamHook.ResponseHeaders => (int)HeadersStatus.StopIteration,
        StreamHook.RequestBody or StreamHook.ResponseBody => (int)BodyStatus.StopIterationNoBuffer,
        StreamHook.RequestTrailers or StreamHook.ResponseTrailers => (int)TrailersStatus.StopIteration,
        StreamHook.LocalReply => (int)LocalReplyStatus.ContinueAndResetStream,
        _ => 0,
    };

    /// <summary>The log line for a failure; names the filter, the hook and the exception.</summary>
    public static string Describe(string filterName, StreamHook hook, Exception exception) =>
        $"{filterName}: exception in {HookName(hook)}: {exception.GetType().FullName}: {exception.Message}";

    /// <summary>
    /// Logs, marks the filter faulted (it is bypassed for the rest of the stream, so the 500 it caused
    /// flows through its own encode hooks untouched) and applies the decision. Never throws.
    /// </summary>
    public static int Fail(FilterStream? stream, nint envoy, StreamHook hook, Exception exception)
    {
        try
        {
            var filterName = stream?.FilterName ?? (exception as StreamBeginException)?.FilterName ?? "envoyext";
            ModuleLog.Write(LogLevel.Error, Describe(filterName, hook, exception is StreamBeginException begin ? begin.InnerException! : exception));
            if (stream is not null)
            {
                stream.Faulted = true;
                stream.RequireEndHooks(); // destroy must drop the faulted filter rather than pool it
            }
            if (envoy != 0)
            {
                switch (Decide(hook, stream?.ResponseStarted ?? false))
                {
                    case BarrierAction.SendLocal500:
                        Send500(envoy);
                        break;
                    case BarrierAction.ResetStream:
                        Reset(envoy);
                        break;
                    case BarrierAction.LogOnly:
                        break;
                }
            }
        }
        catch
        {
            // Nothing may escape the barrier, not even a failure of the failure path.
        }
        return FailedStatus(hook);
    }

    /// <summary>For config-level hooks: log and carry on.</summary>
    public static void LogOnly(string where, Exception exception)
    {
        try
        {
            ModuleLog.Write(LogLevel.Error, $"{where}: {exception.GetType().FullName}: {exception.Message}");
        }
        catch
        {
            // See Fail.
        }
    }

    private static void Send500(nint envoy)
    {
        var body = "internal error in an EnvoyExt filter\n"u8;
        var details = "envoyext_filter_exception"u8;
        fixed (byte* b = body)
        fixed (byte* d = details)
        {
            EnvoyCallbacks.HttpSendResponse(envoy, 500, null, 0, new ModuleBuffer(b, body.Length), new ModuleBuffer(d, details.Length));
        }
    }

    private static void Reset(nint envoy)
    {
        var details = "envoyext_filter_exception"u8;
        fixed (byte* d = details)
        {
            EnvoyCallbacks.HttpFilterResetStream(envoy, (int)HttpFilterStreamResetReason.LocalReset, new ModuleBuffer(d, details.Length));
        }
    }
}
