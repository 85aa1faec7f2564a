using System.Runtime.InteropServices;
using System.Text;
using EnvoyExt.DynamicModules.Abi;
using EnvoyExt.DynamicModules.Sdk;

namespace EnvoyExt.DynamicModules.Testing;

/// <summary>
/// The fake <c>envoy_dynamic_module_callback_*</c> functions: real unmanaged entry points whose
/// addresses go into the SDK's callback table. Envoy pointers are GCHandles of the fake objects
/// (stream, Envoy, scheduler), so every callback finds its own state.
/// </summary>
internal static unsafe class FakeCallbacks
{
    public static nint Lookup(string name) => name[EnvoyCallbacks.Prefix.Length..] switch
    {
        "log" => 0, // log_v2 is present, so the legacy entry point stays optional
        "log_v2" => (nint)(delegate* unmanaged<int, ModuleBuffer, ModuleBuffer, uint, void>)&LogV2,
        "log_enabled" => (nint)(delegate* unmanaged<int, byte>)&LogEnabled,
        "get_concurrency" => 0, // optional; config contexts then report 0 workers
        "http_get_header" => (nint)(delegate* unmanaged<nint, int, ModuleBuffer, EnvoyBuffer*, nuint, nuint*, byte>)&GetHeader,
        "http_get_headers_size" => (nint)(delegate* unmanaged<nint, int, nuint>)&GetHeadersSize,
        "http_get_headers" => (nint)(delegate* unmanaged<nint, int, EnvoyHttpHeader*, byte>)&GetHeaders,
        "http_set_header" => (nint)(delegate* unmanaged<nint, int, ModuleBuffer, ModuleBuffer, byte>)&SetHeader,
        "http_add_header" => (nint)(delegate* unmanaged<nint, int, ModuleBuffer, ModuleBuffer, byte>)&AddHeader,
        "http_get_body_size" => 0, // optional: the SDK sums chunk lengths instead
        "http_get_body_chunks_size" => (nint)(delegate* unmanaged<nint, int, nuint>)&BodyChunksSize,
        "http_get_body_chunks" => (nint)(delegate* unmanaged<nint, int, EnvoyBuffer*, byte>)&BodyChunks,
        "http_append_body" => (nint)(delegate* unmanaged<nint, int, ModuleBuffer, byte>)&AppendBody,
        "http_drain_body" => (nint)(delegate* unmanaged<nint, int, nuint, byte>)&DrainBody,
        "http_send_response" => (nint)(delegate* unmanaged<nint, uint, ModuleHttpHeader*, nuint, ModuleBuffer, ModuleBuffer, void>)&SendResponse,
        "http_filter_reset_stream" => (nint)(delegate* unmanaged<nint, int, ModuleBuffer, void>)&ResetStream,
        "http_filter_continue_decoding" => (nint)(delegate* unmanaged<nint, void>)&ContinueDecoding,
        "http_filter_continue_encoding" => (nint)(delegate* unmanaged<nint, void>)&ContinueEncoding,
        "http_filter_scheduler_new" => (nint)(delegate* unmanaged<nint, nint>)&SchedulerNew,
        "http_filter_scheduler_commit" => (nint)(delegate* unmanaged<nint, ulong, void>)&SchedulerCommit,
        "http_filter_scheduler_delete" => (nint)(delegate* unmanaged<nint, void>)&SchedulerDelete,
        "http_filter_http_callout" =>
            (nint)(delegate* unmanaged<nint, ulong*, ModuleBuffer, ModuleHttpHeader*, nuint, ModuleBuffer, ulong, int>)&HttpCallout,
        "http_filter_start_http_stream" =>
            (nint)(delegate* unmanaged<nint, ulong*, ModuleBuffer, ModuleHttpHeader*, nuint, ModuleBuffer, byte, ulong, int>)&StartHttpStream,
        "http_stream_send_data" => (nint)(delegate* unmanaged<nint, ulong, ModuleBuffer, byte, byte>)&StreamSendData,
        "http_stream_send_trailers" => (nint)(delegate* unmanaged<nint, ulong, ModuleHttpHeader*, nuint, byte>)&StreamSendTrailers,
        "http_filter_reset_http_stream" => (nint)(delegate* unmanaged<nint, ulong, void>)&ResetHttpStream,
        "http_filter_config_define_counter" => (nint)(delegate* unmanaged<nint, ModuleBuffer, ModuleBuffer*, nuint, nuint*, int>)&DefineCounter,
        "http_filter_config_define_gauge" => (nint)(delegate* unmanaged<nint, ModuleBuffer, ModuleBuffer*, nuint, nuint*, int>)&DefineGauge,
        "http_filter_config_define_histogram" => (nint)(delegate* unmanaged<nint, ModuleBuffer, ModuleBuffer*, nuint, nuint*, int>)&DefineHistogram,
        "http_filter_increment_counter" => (nint)(delegate* unmanaged<nint, nuint, ModuleBuffer*, nuint, ulong, int>)&IncrementCounter,
        "http_filter_increment_gauge" => (nint)(delegate* unmanaged<nint, nuint, ModuleBuffer*, nuint, ulong, int>)&IncrementCounter,
        "http_filter_decrement_gauge" => (nint)(delegate* unmanaged<nint, nuint, ModuleBuffer*, nuint, ulong, int>)&DecrementGauge,
        "http_filter_set_gauge" => (nint)(delegate* unmanaged<nint, nuint, ModuleBuffer*, nuint, ulong, int>)&SetGauge,
        "http_filter_record_histogram_value" => (nint)(delegate* unmanaged<nint, nuint, ModuleBuffer*, nuint, ulong, int>)&IncrementCounter,
        "http_filter_get_attribute_string" => (nint)(delegate* unmanaged<nint, int, EnvoyBuffer*, byte>)&GetAttributeString,
        "http_filter_get_attribute_int" => (nint)(delegate* unmanaged<nint, int, ulong*, byte>)&GetAttributeInt,
        "get_most_specific_route_config" => (nint)(delegate* unmanaged<nint, nint>)&MostSpecificRouteConfig,
        "http_filter_get_worker_index" => (nint)(delegate* unmanaged<nint, uint>)&WorkerIndex,
        "http_set_dynamic_metadata_string" => (nint)(delegate* unmanaged<nint, ModuleBuffer, ModuleBuffer, ModuleBuffer, void>)&SetMetadataString,
        "http_set_dynamic_metadata_number" => (nint)(delegate* unmanaged<nint, ModuleBuffer, ModuleBuffer, double, void>)&SetMetadataNumber,
        "http_set_dynamic_metadata_bool" => (nint)(delegate* unmanaged<nint, ModuleBuffer, ModuleBuffer, byte, void>)&SetMetadataBool,
        "http_set_dynamic_metadata_struct" => (nint)(delegate* unmanaged<nint, ModuleBuffer, ModuleBuffer, void>)&SetMetadataStruct,
        "http_get_metadata_string" => (nint)(delegate* unmanaged<nint, int, ModuleBuffer, ModuleBuffer, EnvoyBuffer*, byte>)&GetMetadataString,
        "http_get_metadata_number" => (nint)(delegate* unmanaged<nint, int, ModuleBuffer, ModuleBuffer, double*, byte>)&GetMetadataNumber,
        "http_get_metadata_bool" => (nint)(delegate* unmanaged<nint, int, ModuleBuffer, ModuleBuffer, byte*, byte>)&GetMetadataBool,
        "http_filter_config_generic_secret_subscribe" => (nint)(delegate* unmanaged<nint, ModuleBuffer, ModuleBuffer, nuint>)&SecretSubscribe,
        "http_filter_get_generic_secret" => (nint)(delegate* unmanaged<nint, nuint, EnvoyBuffer*, byte>)&StreamGetSecret,
        "http_filter_config_get_generic_secret" => (nint)(delegate* unmanaged<nint, nuint, EnvoyBuffer*, byte>)&ConfigGetSecret,
        _ => 0,
    };

    private static string Text(ModuleBuffer buffer) =>
        buffer.Ptr == null ? "" : Encoding.UTF8.GetString(buffer.Ptr, (int)buffer.Length);

    private static ReadOnlySpan<byte> Span(ModuleBuffer buffer) =>
        buffer.Ptr == null ? default : new ReadOnlySpan<byte>(buffer.Ptr, (int)buffer.Length);

    private static List<(string, string)> Pairs(ModuleHttpHeader* headers, nuint count)
    {
        var pairs = new List<(string, string)>();
        for (nuint i = 0; i < count; i++)
        {
            pairs.Add((Encoding.UTF8.GetString(headers[i].KeyPtr, (int)headers[i].KeyLength),
                       Encoding.UTF8.GetString(headers[i].ValuePtr, (int)headers[i].ValueLength)));
        }
        return pairs;
    }

    [UnmanagedCallersOnly]
    private static void LogV2(int level, ModuleBuffer message, ModuleBuffer file, uint line) => FakeEnvoy.Log(Text(message));

    [UnmanagedCallersOnly]
    private static byte LogEnabled(int level) => 1;

    // ---- headers ----

    [UnmanagedCallersOnly]
    private static byte GetHeader(nint envoy, int type, ModuleBuffer key, EnvoyBuffer* result, nuint index, nuint* size)
    {
        var map = FakeStream.From(envoy).Headers(type);
        nuint seen = 0;
        *result = default;
        for (var i = 0; i < map.Size; i++)
        {
            if (map.KeyAt(i).SequenceEqual(Span(key)))
            {
                if (seen == index)
                {
                    var (ptr, length) = map.ValueAt(i);
                    *result = new EnvoyBuffer { Ptr = (byte*)ptr, Length = (nuint)length };
                }
                seen++;
            }
        }
        if (size != null)
        {
            *size = seen;
        }
        return index < seen ? (byte)1 : (byte)0;
    }

    [UnmanagedCallersOnly]
    private static nuint GetHeadersSize(nint envoy, int type) => (nuint)FakeStream.From(envoy).Headers(type).Size;

    [UnmanagedCallersOnly]
    private static byte GetHeaders(nint envoy, int type, EnvoyHttpHeader* result)
    {
        var map = FakeStream.From(envoy).Headers(type);
        for (var i = 0; i < map.Size; i++)
        {
            var (k, kl) = map.KeyPointerAt(i);
            var (v, vl) = map.ValueAt(i);
            result[i] = new EnvoyHttpHeader { KeyPtr = (byte*)k, KeyLength = (nuint)kl, ValuePtr = (byte*)v, ValueLength = (nuint)vl };
        }
        return 1;
    }

    [UnmanagedCallersOnly]
    private static byte SetHeader(nint envoy, int type, ModuleBuffer key, ModuleBuffer value)
    {
        var map = FakeStream.From(envoy).Headers(type);
        map.Remove(Span(key));
        if (value.Ptr != null)
        {
            map.Add(Span(key), Span(value));
        }
        return 1;
    }

    [UnmanagedCallersOnly]
    private static byte AddHeader(nint envoy, int type, ModuleBuffer key, ModuleBuffer value)
    {
        FakeStream.From(envoy).Headers(type).Add(Span(key), Span(value));
        return 1;
    }

    // ---- bodies ----

    [UnmanagedCallersOnly]
    private static nuint BodyChunksSize(nint envoy, int type) => (nuint)FakeStream.From(envoy).Body(type).Count;

    [UnmanagedCallersOnly]
    private static byte BodyChunks(nint envoy, int type, EnvoyBuffer* result)
    {
        var slices = FakeStream.From(envoy).Body(type).Pin();
        for (var i = 0; i < slices.Length; i++)
        {
            result[i] = new EnvoyBuffer { Ptr = (byte*)slices[i].Ptr, Length = (nuint)slices[i].Length };
        }
        return 1;
    }

    [UnmanagedCallersOnly]
    private static byte AppendBody(nint envoy, int type, ModuleBuffer data)
    {
        FakeStream.From(envoy).Body(type).Append(Span(data));
        return 1;
    }

    [UnmanagedCallersOnly]
    private static byte DrainBody(nint envoy, int type, nuint count)
    {
        FakeStream.From(envoy).Body(type).Drain((long)count);
        return 1;
    }

    // ---- local replies and stream control ----

    [UnmanagedCallersOnly]
    private static void SendResponse(nint envoy, uint status, ModuleHttpHeader* headers, nuint count, ModuleBuffer body, ModuleBuffer details) =>
        FakeStream.From(envoy).RecordLocalReply(new FakeLocalReply(status, Pairs(headers, count), Text(body), Text(details)));

    [UnmanagedCallersOnly]
    private static void ResetStream(nint envoy, int reason, ModuleBuffer details) => FakeStream.From(envoy).RecordReset();

    [UnmanagedCallersOnly]
    private static void ContinueDecoding(nint envoy) => FakeStream.From(envoy).RecordContinueDecoding();

    [UnmanagedCallersOnly]
    private static void ContinueEncoding(nint envoy) => FakeStream.From(envoy).RecordContinueEncoding();

    // ---- scheduler ----

    [UnmanagedCallersOnly]
    private static nint SchedulerNew(nint envoy) => FakeStream.From(envoy).NewScheduler();

    [UnmanagedCallersOnly]
    private static void SchedulerCommit(nint scheduler, ulong eventId) =>
        ((FakeStream.FakeScheduler)GCHandle.FromIntPtr(scheduler).Target!).Stream.Commit(eventId);

    [UnmanagedCallersOnly]
    private static void SchedulerDelete(nint scheduler) =>
        ((FakeStream.FakeScheduler)GCHandle.FromIntPtr(scheduler).Target!).Stream.DeleteScheduler(scheduler);

    // ---- callouts ----

    [UnmanagedCallersOnly]
    private static int HttpCallout(nint envoy, ulong* id, ModuleBuffer cluster, ModuleHttpHeader* headers, nuint count, ModuleBuffer body, ulong timeoutMs)
    {
        var result = FakeStream.From(envoy).StartCallout(Text(cluster), Pairs(headers, count), Text(body), timeoutMs, out var calloutId);
        *id = calloutId;
        return result;
    }

    [UnmanagedCallersOnly]
    private static int StartHttpStream(nint envoy, ulong* id, ModuleBuffer cluster, ModuleHttpHeader* headers, nuint count, ModuleBuffer body,
                                       byte endOfStream, ulong timeoutMs)
    {
        var result = FakeStream.From(envoy).StartHttpStream(Text(cluster), Pairs(headers, count), Span(body).ToArray(), endOfStream != 0, timeoutMs, out var streamId);
        *id = streamId;
        return result;
    }

    [UnmanagedCallersOnly]
    private static byte StreamSendData(nint envoy, ulong streamId, ModuleBuffer data, byte endOfStream)
    {
        var stream = FakeStream.From(envoy).OpenHttpStream(streamId);
        if (stream is null || stream.RequestEnded)
        {
            return 0;
        }
        stream.AppendSent(Span(data));
        stream.RequestEnded = endOfStream != 0;
        return 1;
    }

    [UnmanagedCallersOnly]
    private static byte StreamSendTrailers(nint envoy, ulong streamId, ModuleHttpHeader* trailers, nuint count)
    {
        var stream = FakeStream.From(envoy).OpenHttpStream(streamId);
        if (stream is null || stream.RequestEnded)
        {
            return 0;
        }
        stream.SentTrailers = Pairs(trailers, count);
        stream.RequestEnded = true;
        return 1;
    }

    [UnmanagedCallersOnly]
    private static void ResetHttpStream(nint envoy, ulong streamId) => FakeStream.From(envoy).ResetHttpStreamByFilter(streamId);

    // ---- metrics ----

    private static int Define(string kind, nint configEnvoy, ModuleBuffer name, ModuleBuffer* labels, nuint count, nuint* id)
    {
        var labelNames = new string[(int)count];
        for (var i = 0; i < labelNames.Length; i++)
        {
            labelNames[i] = Text(labels[i]);
        }
        *id = FakeEnvoy.FromConfigPointer(configEnvoy).DefineMetric(kind, Text(name), labelNames);
        return (int)MetricsResult.Success;
    }

    [UnmanagedCallersOnly]
    private static int DefineCounter(nint config, ModuleBuffer name, ModuleBuffer* labels, nuint count, nuint* id) =>
        Define("counter", config, name, labels, count, id);

    [UnmanagedCallersOnly]
    private static int DefineGauge(nint config, ModuleBuffer name, ModuleBuffer* labels, nuint count, nuint* id) =>
        Define("gauge", config, name, labels, count, id);

    [UnmanagedCallersOnly]
    private static int DefineHistogram(nint config, ModuleBuffer name, ModuleBuffer* labels, nuint count, nuint* id) =>
        Define("histogram", config, name, labels, count, id);

    private static int Record(nint envoy, nuint id, ModuleBuffer* labels, nuint count, ulong value, char operation)
    {
        var values = new string[(int)count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = Text(labels[i]);
        }
        return FakeStream.From(envoy).Envoy.RecordMetric(id, values, value, operation);
    }

    [UnmanagedCallersOnly]
    private static int IncrementCounter(nint envoy, nuint id, ModuleBuffer* labels, nuint count, ulong value) =>
        Record(envoy, id, labels, count, value, '+');

    [UnmanagedCallersOnly]
    private static int DecrementGauge(nint envoy, nuint id, ModuleBuffer* labels, nuint count, ulong value) =>
        Record(envoy, id, labels, count, value, '-');

    [UnmanagedCallersOnly]
    private static int SetGauge(nint envoy, nuint id, ModuleBuffer* labels, nuint count, ulong value) =>
        Record(envoy, id, labels, count, value, '=');

    // ---- dynamic metadata (the fake holds only the Dynamic source) ----

    [UnmanagedCallersOnly]
    private static void SetMetadataString(nint envoy, ModuleBuffer ns, ModuleBuffer key, ModuleBuffer value) =>
        FakeStream.From(envoy).DynamicMetadata[(Text(ns), Text(key))] = Text(value);

    [UnmanagedCallersOnly]
    private static void SetMetadataNumber(nint envoy, ModuleBuffer ns, ModuleBuffer key, double value) =>
        FakeStream.From(envoy).DynamicMetadata[(Text(ns), Text(key))] = value;

    [UnmanagedCallersOnly]
    private static void SetMetadataBool(nint envoy, ModuleBuffer ns, ModuleBuffer key, byte value) =>
        FakeStream.From(envoy).DynamicMetadata[(Text(ns), Text(key))] = value != 0;

    [UnmanagedCallersOnly]
    private static void SetMetadataStruct(nint envoy, ModuleBuffer ns, ModuleBuffer serialized) =>
        FakeStream.From(envoy).DynamicMetadataStructs.Add((Text(ns), serialized.Ptr == null ? [] : new ReadOnlySpan<byte>(serialized.Ptr, (int)serialized.Length).ToArray()));

    [UnmanagedCallersOnly]
    private static byte GetMetadataString(nint envoy, int source, ModuleBuffer ns, ModuleBuffer key, EnvoyBuffer* result)
    {
        *result = default;
        var stream = FakeStream.From(envoy);
        if (source != (int)MetadataSource.Dynamic || !stream.DynamicMetadata.TryGetValue((Text(ns), Text(key)), out var value) || value is not string text)
        {
            return 0;
        }
        var bytes = Encoding.UTF8.GetBytes(text);
        var pinned = (byte*)NativeMemory.Alloc((nuint)Math.Max(bytes.Length, 1));
        bytes.CopyTo(new Span<byte>(pinned, bytes.Length));
        stream.KeepNative((nint)pinned);
        *result = new EnvoyBuffer { Ptr = pinned, Length = (nuint)bytes.Length };
        return 1;
    }

    [UnmanagedCallersOnly]
    private static byte GetMetadataNumber(nint envoy, int source, ModuleBuffer ns, ModuleBuffer key, double* result)
    {
        bool found = source == (int)MetadataSource.Dynamic
            && FakeStream.From(envoy).DynamicMetadata.TryGetValue((Text(ns), Text(key)), out var value) && value is double;
        *result = found ? (double)FakeStream.From(envoy).DynamicMetadata[(Text(ns), Text(key))] : 0;
        return found ? (byte)1 : (byte)0;
    }

    [UnmanagedCallersOnly]
    private static byte GetMetadataBool(nint envoy, int source, ModuleBuffer ns, ModuleBuffer key, byte* result)
    {
        bool found = source == (int)MetadataSource.Dynamic
            && FakeStream.From(envoy).DynamicMetadata.TryGetValue((Text(ns), Text(key)), out var value) && value is bool;
        *result = found && (bool)FakeStream.From(envoy).DynamicMetadata[(Text(ns), Text(key))] ? (byte)1 : (byte)0;
        return found ? (byte)1 : (byte)0;
    }

    // ---- attributes, route, worker ----

    [UnmanagedCallersOnly]
    private static byte GetAttributeString(nint envoy, int id, EnvoyBuffer* result)
    {
        if (!FakeStream.From(envoy).TryGetAttribute((AttributeId)id, out byte[] value))
        {
            *result = default;
            return 0;
        }
        // Attribute views live as long as the stream: pin the bytes for the stream's lifetime.
        var pinned = (byte*)NativeMemory.Alloc((nuint)Math.Max(value.Length, 1));
        value.CopyTo(new Span<byte>(pinned, value.Length));
        FakeStream.From(envoy).KeepNative((nint)pinned);
        *result = new EnvoyBuffer { Ptr = pinned, Length = (nuint)value.Length };
        return 1;
    }

    [UnmanagedCallersOnly]
    private static byte GetAttributeInt(nint envoy, int id, ulong* result)
    {
        var found = FakeStream.From(envoy).TryGetAttribute((AttributeId)id, out ulong value);
        *result = found ? value : 0;
        return found ? (byte)1 : (byte)0;
    }

    [UnmanagedCallersOnly]
    private static nint MostSpecificRouteConfig(nint envoy) => FakeStream.From(envoy).RouteModule;

    [UnmanagedCallersOnly]
    private static uint WorkerIndex(nint envoy) => FakeStream.From(envoy).Worker;

    // ---- generic secrets ----

    [UnmanagedCallersOnly]
    private static nuint SecretSubscribe(nint configEnvoy, ModuleBuffer name, ModuleBuffer sdsConfigSource) =>
        FakeEnvoy.FromConfigPointer(configEnvoy).SubscribeSecret(Text(name), Text(sdsConfigSource));

    [UnmanagedCallersOnly]
    private static byte StreamGetSecret(nint envoy, nuint id, EnvoyBuffer* result)
    {
        var stream = FakeStream.From(envoy);
        return PinSecret(stream.Envoy, id, result, stream.KeepNative);
    }

    [UnmanagedCallersOnly]
    private static byte ConfigGetSecret(nint configEnvoy, nuint id, EnvoyBuffer* result)
    {
        var envoy = FakeEnvoy.FromConfigPointer(configEnvoy);
        return PinSecret(envoy, id, result, envoy.KeepNative);
    }

    private static byte PinSecret(FakeEnvoy envoy, nuint id, EnvoyBuffer* result, Action<nint> keep)
    {
        if (!envoy.TryGetSubscribedSecret(id, out var value))
        {
            *result = default;
            return 0;
        }
        var pinned = (byte*)NativeMemory.Alloc((nuint)Math.Max(value.Length, 1));
        value.CopyTo(new Span<byte>(pinned, value.Length));
        keep((nint)pinned);
        *result = new EnvoyBuffer { Ptr = pinned, Length = (nuint)value.Length };
        return 1;
    }
}
