using System.Runtime.InteropServices;
using System.Text;
using EnvoyExt.DynamicModules.Abi;

namespace EnvoyExt.DynamicModules.Tests;

/// <summary>
/// A stand-in for Envoy's callbacks inside the test process: real unmanaged entry points whose
/// addresses are fed to <see cref="EnvoyCallbacks.Resolve"/>, recording what the SDK asked for.
/// Callbacks the tests never reach point at a no-op.
/// </summary>
internal static unsafe class FakeEnvoy
{
    public static readonly List<string> Logs = [];
    public static readonly List<(uint Status, string Body, string Details, int HeaderCount)> LocalReplies = [];
    public static int Resets;
    public static nint RouteConfig;
    public static readonly List<ulong> Commits = [];
    public static int SchedulerDeletes;
    private static nuint s_nextMetricId;

    public static void Reset()
    {
        Logs.Clear();
        LocalReplies.Clear();
        Resets = 0;
        RouteConfig = 0;
        Commits.Clear();
        SchedulerDeletes = 0;
    }

    public static nint Lookup(string name) => name switch
    {
        "envoy_dynamic_module_callback_log_v2" => (nint)(delegate* unmanaged<int, ModuleBuffer, ModuleBuffer, uint, void>)&LogV2,
        "envoy_dynamic_module_callback_http_send_response" =>
            (nint)(delegate* unmanaged<nint, uint, ModuleHttpHeader*, nuint, ModuleBuffer, ModuleBuffer, void>)&SendResponse,
        "envoy_dynamic_module_callback_http_filter_reset_stream" => (nint)(delegate* unmanaged<nint, int, ModuleBuffer, void>)&ResetStream,
        "envoy_dynamic_module_callback_http_filter_get_worker_index" => (nint)(delegate* unmanaged<nint, uint>)&WorkerIndex,
        "envoy_dynamic_module_callback_get_most_specific_route_config" => (nint)(delegate* unmanaged<nint, nint>)&MostSpecificRouteConfig,
        "envoy_dynamic_module_callback_http_filter_scheduler_new" => (nint)(delegate* unmanaged<nint, nint>)&SchedulerNew,
        "envoy_dynamic_module_callback_http_filter_scheduler_commit" => (nint)(delegate* unmanaged<nint, ulong, void>)&SchedulerCommit,
        "envoy_dynamic_module_callback_http_filter_scheduler_delete" => (nint)(delegate* unmanaged<nint, void>)&SchedulerDelete,
        "envoy_dynamic_module_callback_http_filter_config_define_counter" or
        "envoy_dynamic_module_callback_http_filter_config_define_gauge" or
        "envoy_dynamic_module_callback_http_filter_config_define_histogram" =>
            (nint)(delegate* unmanaged<nint, ModuleBuffer, ModuleBuffer*, nuint, nuint*, int>)&DefineMetric,
        "envoy_dynamic_module_callback_log" => 0, // log_v2 is present, so the legacy entry is optional
        _ => (nint)(delegate* unmanaged<void>)&Noop,
    };

    private static string Text(ModuleBuffer buffer) =>
        buffer.Ptr == null ? "" : Encoding.UTF8.GetString(buffer.Ptr, (int)buffer.Length);

    [UnmanagedCallersOnly]
    private static void Noop() { }

    [UnmanagedCallersOnly]
    private static void LogV2(int level, ModuleBuffer message, ModuleBuffer file, uint line)
    {
        lock (Logs)
        {
            Logs.Add(Text(message));
        }
    }

    [UnmanagedCallersOnly]
    private static void SendResponse(nint envoy, uint status, ModuleHttpHeader* headers, nuint count, ModuleBuffer body, ModuleBuffer details) =>
        LocalReplies.Add((status, Text(body), Text(details), (int)count));

    [UnmanagedCallersOnly]
    private static void ResetStream(nint envoy, int reason, ModuleBuffer details) => Resets++;

    [UnmanagedCallersOnly]
    private static uint WorkerIndex(nint envoy) => 0;

    [UnmanagedCallersOnly]
    private static nint MostSpecificRouteConfig(nint envoy) => RouteConfig;

    [UnmanagedCallersOnly]
    private static nint SchedulerNew(nint envoy) => 0x1234;

    [UnmanagedCallersOnly]
    private static void SchedulerCommit(nint scheduler, ulong eventId)
    {
        lock (Commits)
        {
            Commits.Add(eventId);
        }
    }

    [UnmanagedCallersOnly]
    private static void SchedulerDelete(nint scheduler) => SchedulerDeletes++;

    [UnmanagedCallersOnly]
    private static int DefineMetric(nint config, ModuleBuffer name, ModuleBuffer* labels, nuint count, nuint* id)
    {
        *id = ++s_nextMetricId;
        return 0;
    }

    /// <summary>Builds an EnvoyBuffer over pinned bytes for calling the dispatcher like Envoy does.</summary>
    public static EnvoyBuffer Buffer(byte* bytes, int length) => new() { Ptr = bytes, Length = (nuint)length };
}

/// <summary>Tests that install the fake callback table share global state, so they never run in parallel.</summary>
[CollectionDefinition("EnvoyCallbacks", DisableParallelization = true)]
public sealed class EnvoyCallbacksCollection;
