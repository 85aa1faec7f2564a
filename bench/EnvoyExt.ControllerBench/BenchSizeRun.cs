using System.Diagnostics;
using System.Text.Json.Nodes;
using EnvoyExt.ControlPlane.GatewayApi;
using EnvoyExt.ControlPlane.Providers.Standalone;
using EnvoyExt.ControlPlane.XdsTranslation;

namespace EnvoyExt.ControllerBench;

/// <summary>
/// One bench size's read and translation, measured in a process of its own (started by
/// <see cref="BenchCommand"/>) so its peak memory and cold start are its own: read the synthetic
/// folder cold, once more warm, translate it repeatedly. Returns the numbers as JSON.
/// </summary>
internal static class BenchSizeRun
{
    public static JsonObject Measure(string folder, int repeat)
    {
        var result = new JsonObject();
        MeasureTranslation(folder, repeat, result);
        result["peakWorkingSetBytes"] = PeakWorkingSetBytes(Environment.ProcessId);
        return result;
    }

    private static void MeasureTranslation(string folder, int repeat, JsonObject result)
    {
        var stopwatch = Stopwatch.StartNew();
        var resources = StandaloneProvider.ReadFolder(folder);
        result["readColdMs"] = stopwatch.Elapsed.TotalMilliseconds;
        if (resources.Problems.Count > 0)
        {
            throw new InvalidOperationException("synthetic config has problems: " + resources.Problems[0]);
        }

        // A second read of the same files: what a restart costs once the code is jitted.
        resources = null;
        GC.Collect();
        stopwatch.Restart();
        resources = StandaloneProvider.ReadFolder(folder);
        result["readWarmMs"] = stopwatch.Elapsed.TotalMilliseconds;
        result["httpRoutes"] = resources.HttpRoutes.Count;
        result["policies"] = resources.Policies.Count;

        var gatewayApi = new List<double>();
        var xds = new List<double>();
        long allocated = 0;
        TranslationResult? translated = null;
        SortedDictionary<string, GatewayXdsResources>? output = null;
        for (var i = 0; i <= repeat; i++)
        {
            translated = null;
            output = null;
            GC.Collect();
            var before = GC.GetAllocatedBytesForCurrentThread();
            stopwatch.Restart();
            translated = GatewayApiTranslator.Translate(resources);
            var gatewayApiMs = stopwatch.Elapsed.TotalMilliseconds;
            stopwatch.Restart();
            output = XdsTranslator.Translate(translated.Ir);
            var xdsMs = stopwatch.Elapsed.TotalMilliseconds;
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            if (i > 0)
            {
                gatewayApi.Add(gatewayApiMs);
                xds.Add(xdsMs);
            }
        }

        result["gatewayApiMs"] = BenchCommand.Median(gatewayApi);
        result["xdsMs"] = BenchCommand.Median(xds);
        result["allocatedPerTranslationBytes"] = allocated;

        // Live heap while the resources, their translation and the xDS output are all held, as in `serve`.
        result["liveHeapBytes"] = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(resources);
        GC.KeepAlive(translated);
        GC.KeepAlive(output);
    }

    /// <summary>VmHWM: the most resident memory the process ever had (Environment.WorkingSet is only "now").</summary>
    public static long PeakWorkingSetBytes(int processId) => ProcStatusBytes(processId, "VmHWM:");

    /// <summary>VmRSS: resident memory now.</summary>
    public static long WorkingSetBytes(int processId) => ProcStatusBytes(processId, "VmRSS:");

    /// <summary>A "kB" line of /proc/&lt;pid&gt;/status, in bytes (the bench runs on Linux).</summary>
    private static long ProcStatusBytes(int processId, string field)
    {
        foreach (var line in File.ReadLines($"/proc/{processId}/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                return long.Parse(line[field.Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
            }
        }

        throw new InvalidOperationException($"/proc/{processId}/status has no {field} line");
    }
}
