using System.Runtime.InteropServices;

namespace EnvoyExt.DynamicModules.Abi;

/// <summary>
/// The table of Envoy's <c>envoy_dynamic_module_callback_*</c> functions the SDK calls, as unmanaged
/// function pointers. It is filled once by <see cref="Resolve"/> during program init: the module has no
/// link-time imports (a NativeAOT library cannot carry undefined symbols of its host, and Envoy 1.40's
/// RTLD_NOW would turn any missing one into an opaque load failure), so every callback is looked up by
/// name in the process's global scope. Required callbacks that are missing fail program init with a
/// message naming each of them; optional ones only switch a feature off.
/// </summary>
/// <remarks>C <c>bool</c> is declared as <c>byte</c>, <c>size_t</c> as <c>nuint</c>, C enums as <c>int</c>.</remarks>
internal static unsafe class EnvoyCallbacks
{
    public const string Prefix = "envoy_dynamic_module_callback_";

    // ---- logging (any thread) ----
    public static delegate* unmanaged<int, ModuleBuffer, void> Log;
    public static delegate* unmanaged<int, ModuleBuffer, ModuleBuffer, uint, void> LogV2;           // optional (1.40)
    public static delegate* unmanaged<int, byte> LogEnabled;                                         // optional

    // ---- process ----
    public static delegate* unmanaged<uint> GetConcurrency;                                          // optional, main thread

    // ---- headers and trailers ----
    public static delegate* unmanaged<nint, int, ModuleBuffer, EnvoyBuffer*, nuint, nuint*, byte> HttpGetHeader;
    public static delegate* unmanaged<nint, int, nuint> HttpGetHeadersSize;
    public static delegate* unmanaged<nint, int, EnvoyHttpHeader*, byte> HttpGetHeaders;
    public static delegate* unmanaged<nint, int, ModuleBuffer, ModuleBuffer, byte> HttpSetHeader;
    public static delegate* unmanaged<nint, int, ModuleBuffer, ModuleBuffer, byte> HttpAddHeader;

    // ---- bodies ----
    public static delegate* unmanaged<nint, int, nuint> HttpGetBodySize;                             // optional
    public static delegate* unmanaged<nint, int, nuint> HttpGetBodyChunksSize;
    public static delegate* unmanaged<nint, int, EnvoyBuffer*, byte> HttpGetBodyChunks;
    public static delegate* unmanaged<nint, int, ModuleBuffer, byte> HttpAppendBody;
    public static delegate* unmanaged<nint, int, nuint, byte> HttpDrainBody;

    // ---- local responses and stream control ----
    public static delegate* unmanaged<nint, uint, ModuleHttpHeader*, nuint, ModuleBuffer, ModuleBuffer, void> HttpSendResponse;
    public static delegate* unmanaged<nint, int, ModuleBuffer, void> HttpFilterResetStream;
    public static delegate* unmanaged<nint, void> HttpFilterContinueDecoding;
    public static delegate* unmanaged<nint, void> HttpFilterContinueEncoding;

    // ---- generic secrets (1.40): subscribe in config_new, read by id afterwards ----
    public static delegate* unmanaged<nint, ModuleBuffer, ModuleBuffer, nuint> ConfigGenericSecretSubscribe;   // optional
    public static delegate* unmanaged<nint, nuint, EnvoyBuffer*, byte> HttpFilterGetGenericSecret;            // optional, worker
    public static delegate* unmanaged<nint, nuint, EnvoyBuffer*, byte> ConfigGetGenericSecret;                // optional, main thread

    // ---- scheduler ----
    public static delegate* unmanaged<nint, nint> HttpFilterSchedulerNew;
    public static delegate* unmanaged<nint, ulong, void> HttpFilterSchedulerCommit;                 // any thread
    public static delegate* unmanaged<nint, void> HttpFilterSchedulerDelete;

    // ---- HTTP callouts ----
    public static delegate* unmanaged<nint, ulong*, ModuleBuffer, ModuleHttpHeader*, nuint, ModuleBuffer, ulong, int> HttpFilterHttpCallout;

    // ---- streaming HTTP callouts (stream's worker) ----
    public static delegate* unmanaged<nint, ulong*, ModuleBuffer, ModuleHttpHeader*, nuint, ModuleBuffer, byte, ulong, int> HttpFilterStartHttpStream;
    public static delegate* unmanaged<nint, ulong, ModuleBuffer, byte, byte> HttpStreamSendData;
    public static delegate* unmanaged<nint, ulong, ModuleHttpHeader*, nuint, byte> HttpStreamSendTrailers;
    public static delegate* unmanaged<nint, ulong, void> HttpFilterResetHttpStream;

    // ---- metrics ----
    public static delegate* unmanaged<nint, ModuleBuffer, ModuleBuffer*, nuint, nuint*, int> ConfigDefineCounter;
    public static delegate* unmanaged<nint, ModuleBuffer, ModuleBuffer*, nuint, nuint*, int> ConfigDefineGauge;
    public static delegate* unmanaged<nint, ModuleBuffer, ModuleBuffer*, nuint, nuint*, int> ConfigDefineHistogram;
    public static delegate* unmanaged<nint, nuint, ModuleBuffer*, nuint, ulong, int> IncrementCounter;
    public static delegate* unmanaged<nint, nuint, ModuleBuffer*, nuint, ulong, int> IncrementGauge;
    public static delegate* unmanaged<nint, nuint, ModuleBuffer*, nuint, ulong, int> DecrementGauge;
    public static delegate* unmanaged<nint, nuint, ModuleBuffer*, nuint, ulong, int> SetGauge;
    public static delegate* unmanaged<nint, nuint, ModuleBuffer*, nuint, ulong, int> RecordHistogramValue;

    // ---- attributes, route, worker ----
    public static delegate* unmanaged<nint, int, EnvoyBuffer*, byte> GetAttributeString;
    public static delegate* unmanaged<nint, int, ulong*, byte> GetAttributeInt;
    public static delegate* unmanaged<nint, nint> GetMostSpecificRouteConfig;
    public static delegate* unmanaged<nint, uint> GetWorkerIndex;                                    // optional

    // ---- dynamic metadata ----
    public static delegate* unmanaged<nint, ModuleBuffer, ModuleBuffer, ModuleBuffer, void> SetDynamicMetadataString;
    public static delegate* unmanaged<nint, ModuleBuffer, ModuleBuffer, double, void> SetDynamicMetadataNumber;
    public static delegate* unmanaged<nint, ModuleBuffer, ModuleBuffer, byte, void> SetDynamicMetadataBool;

    /// <summary>1.40: a protobuf-binary <c>google.protobuf.Struct</c> merged into a namespace; null on an Envoy without it.</summary>
    public static delegate* unmanaged<nint, ModuleBuffer, ModuleBuffer, void> SetDynamicMetadataStruct;
    public static delegate* unmanaged<nint, int, ModuleBuffer, ModuleBuffer, EnvoyBuffer*, byte> GetMetadataString;
    public static delegate* unmanaged<nint, int, ModuleBuffer, ModuleBuffer, double*, byte> GetMetadataNumber;
    public static delegate* unmanaged<nint, int, ModuleBuffer, ModuleBuffer, byte*, byte> GetMetadataBool;

    /// <summary>True once <see cref="Resolve"/> succeeded; the dispatcher refuses to run before that.</summary>
    public static bool IsResolved { get; private set; }

    /// <summary>Resolves every callback from the process's global symbol scope (dlsym(RTLD_DEFAULT)).</summary>
    public static IReadOnlyList<string> ResolveFromMainProgram()
    {
        var main = NativeLibrary.GetMainProgramHandle();
        var missing = Resolve(name => NativeLibrary.TryGetExport(main, name, out var address) ? address : 0);
        LeafCallsAreNative = true;
        return missing;
    }

    /// <summary>
    /// True when the table holds the host's native functions, so <see cref="LeafCallbacks"/> may call the
    /// short ones without a GC transition. False for a table of managed fakes (<see cref="Resolve"/> from a
    /// test): entering managed code from a call that skipped the transition is a fatal error.
    /// </summary>
    public static bool LeafCallsAreNative { get; private set; }

    /// <summary>
    /// Fills the table with <paramref name="lookup"/> (full symbol name -> address or 0) and returns the
    /// names of the missing required callbacks; empty means success. Tests pass a fake lookup.
    /// </summary>
    public static IReadOnlyList<string> Resolve(Func<string, nint> lookup)
    {
        LeafCallsAreNative = false;
        var missing = new List<string>();
        nint Required(string suffix)
        {
            var address = lookup(Prefix + suffix);
            if (address == 0)
            {
                missing.Add(Prefix + suffix);
            }
            return address;
        }
        nint Optional(string suffix) => lookup(Prefix + suffix);

        Log = (delegate* unmanaged<int, ModuleBuffer, void>)Optional("log");
        LogV2 = (delegate* unmanaged<int, ModuleBuffer, ModuleBuffer, uint, void>)Optional("log_v2");
        if (Log == null && LogV2 == null)
        {
            // Either logging entry point is enough; 1.40 has both.
            missing.Add(Prefix + "log_v2 (or " + Prefix + "log)");
        }
        LogEnabled = (delegate* unmanaged<int, byte>)Optional("log_enabled");
        GetConcurrency = (delegate* unmanaged<uint>)Optional("get_concurrency");

        HttpGetHeader = (delegate* unmanaged<nint, int, ModuleBuffer, EnvoyBuffer*, nuint, nuint*, byte>)Required("http_get_header");
        HttpGetHeadersSize = (delegate* unmanaged<nint, int, nuint>)Required("http_get_headers_size");
        HttpGetHeaders = (delegate* unmanaged<nint, int, EnvoyHttpHeader*, byte>)Required("http_get_headers");
        HttpSetHeader = (delegate* unmanaged<nint, int, ModuleBuffer, ModuleBuffer, byte>)Required("http_set_header");
        HttpAddHeader = (delegate* unmanaged<nint, int, ModuleBuffer, ModuleBuffer, byte>)Required("http_add_header");

        HttpGetBodySize = (delegate* unmanaged<nint, int, nuint>)Optional("http_get_body_size");
        HttpGetBodyChunksSize = (delegate* unmanaged<nint, int, nuint>)Required("http_get_body_chunks_size");
        HttpGetBodyChunks = (delegate* unmanaged<nint, int, EnvoyBuffer*, byte>)Required("http_get_body_chunks");
        HttpAppendBody = (delegate* unmanaged<nint, int, ModuleBuffer, byte>)Required("http_append_body");
        HttpDrainBody = (delegate* unmanaged<nint, int, nuint, byte>)Required("http_drain_body");

        HttpSendResponse = (delegate* unmanaged<nint, uint, ModuleHttpHeader*, nuint, ModuleBuffer, ModuleBuffer, void>)Required("http_send_response");
        HttpFilterResetStream = (delegate* unmanaged<nint, int, ModuleBuffer, void>)Required("http_filter_reset_stream");
        HttpFilterContinueDecoding = (delegate* unmanaged<nint, void>)Required("http_filter_continue_decoding");
        HttpFilterContinueEncoding = (delegate* unmanaged<nint, void>)Required("http_filter_continue_encoding");

        ConfigGenericSecretSubscribe = (delegate* unmanaged<nint, ModuleBuffer, ModuleBuffer, nuint>)Optional("http_filter_config_generic_secret_subscribe");
        HttpFilterGetGenericSecret = (delegate* unmanaged<nint, nuint, EnvoyBuffer*, byte>)Optional("http_filter_get_generic_secret");
        ConfigGetGenericSecret = (delegate* unmanaged<nint, nuint, EnvoyBuffer*, byte>)Optional("http_filter_config_get_generic_secret");

        HttpFilterSchedulerNew = (delegate* unmanaged<nint, nint>)Required("http_filter_scheduler_new");
        HttpFilterSchedulerCommit = (delegate* unmanaged<nint, ulong, void>)Required("http_filter_scheduler_commit");
        HttpFilterSchedulerDelete = (delegate* unmanaged<nint, void>)Required("http_filter_scheduler_delete");

        HttpFilterHttpCallout = (delegate* unmanaged<nint, ulong*, ModuleBuffer, ModuleHttpHeader*, nuint, ModuleBuffer, ulong, int>)Required("http_filter_http_callout");

        HttpFilterStartHttpStream = (delegate* unmanaged<nint, ulong*, ModuleBuffer, ModuleHttpHeader*, nuint, ModuleBuffer, byte, ulong, int>)Required("http_filter_start_http_stream");
        HttpStreamSendData = (delegate* unmanaged<nint, ulong, ModuleBuffer, byte, byte>)Required("http_stream_send_data");
        HttpStreamSendTrailers = (delegate* unmanaged<nint, ulong, ModuleHttpHeader*, nuint, byte>)Required("http_stream_send_trailers");
        HttpFilterResetHttpStream = (delegate* unmanaged<nint, ulong, void>)Required("http_filter_reset_http_stream");

        ConfigDefineCounter = (delegate* unmanaged<nint, ModuleBuffer, ModuleBuffer*, nuint, nuint*, int>)Required("http_filter_config_define_counter");
        ConfigDefineGauge = (delegate* unmanaged<nint, ModuleBuffer, ModuleBuffer*, nuint, nuint*, int>)Required("http_filter_config_define_gauge");
        ConfigDefineHistogram = (delegate* unmanaged<nint, ModuleBuffer, ModuleBuffer*, nuint, nuint*, int>)Required("http_filter_config_define_histogram");
        IncrementCounter = (delegate* unmanaged<nint, nuint, ModuleBuffer*, nuint, ulong, int>)Required("http_filter_increment_counter");
        IncrementGauge = (delegate* unmanaged<nint, nuint, ModuleBuffer*, nuint, ulong, int>)Required("http_filter_increment_gauge");
        DecrementGauge = (delegate* unmanaged<nint, nuint, ModuleBuffer*, nuint, ulong, int>)Required("http_filter_decrement_gauge");
        SetGauge = (delegate* unmanaged<nint, nuint, ModuleBuffer*, nuint, ulong, int>)Required("http_filter_set_gauge");
        RecordHistogramValue = (delegate* unmanaged<nint, nuint, ModuleBuffer*, nuint, ulong, int>)Required("http_filter_record_histogram_value");

        GetAttributeString = (delegate* unmanaged<nint, int, EnvoyBuffer*, byte>)Required("http_filter_get_attribute_string");
        GetAttributeInt = (delegate* unmanaged<nint, int, ulong*, byte>)Required("http_filter_get_attribute_int");
        GetMostSpecificRouteConfig = (delegate* unmanaged<nint, nint>)Required("get_most_specific_route_config");
        GetWorkerIndex = (delegate* unmanaged<nint, uint>)Optional("http_filter_get_worker_index");

        SetDynamicMetadataString = (delegate* unmanaged<nint, ModuleBuffer, ModuleBuffer, ModuleBuffer, void>)Required("http_set_dynamic_metadata_string");
        SetDynamicMetadataNumber = (delegate* unmanaged<nint, ModuleBuffer, ModuleBuffer, double, void>)Required("http_set_dynamic_metadata_number");
        SetDynamicMetadataBool = (delegate* unmanaged<nint, ModuleBuffer, ModuleBuffer, byte, void>)Required("http_set_dynamic_metadata_bool");
        SetDynamicMetadataStruct = (delegate* unmanaged<nint, ModuleBuffer, ModuleBuffer, void>)Optional("http_set_dynamic_metadata_struct");
        GetMetadataString = (delegate* unmanaged<nint, int, ModuleBuffer, ModuleBuffer, EnvoyBuffer*, byte>)Required("http_get_metadata_string");
        GetMetadataNumber = (delegate* unmanaged<nint, int, ModuleBuffer, ModuleBuffer, double*, byte>)Required("http_get_metadata_number");
        GetMetadataBool = (delegate* unmanaged<nint, int, ModuleBuffer, ModuleBuffer, byte*, byte>)Required("http_get_metadata_bool");

        IsResolved = missing.Count == 0;
        return missing;
    }
}
