using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace EnvoyExt.ControllerBench;

/// <summary>
/// `envoyext-controller-bench [--routes 100,1000,10000] [--repeat 5] [--controller path]`: for each
/// size, writes a synthetic folder (see <see cref="SyntheticConfig"/>) and measures it in a fresh
/// child process (`--measure-folder`, <see cref="BenchSizeRun"/>), so no size inherits another's heap,
/// JIT state or peak memory, then runs the shipped controller's `serve` on it
/// (<see cref="BenchServeRun"/>). Prints a markdown table.
/// </summary>
internal static class BenchCommand
{
    /// <summary>Result line a child prints on stdout; everything else it prints is passed through.</summary>
    private const string ResultPrefix = "bench-result ";

    /// <summary>Envoy Gateway's published controller memory for 1,000 HTTPRoutes, and our goals at 10,000.</summary>
    private const double EnvoyGatewayMiBAt1000 = 263;
    private const double GoalMiBAt10000 = 200;
    private const double GoalMsAt10000 = 1000;

    public static async Task<int> RunAsync(BenchArguments args)
    {
        var repeat = ParseList(args.Get("--repeat") ?? "5", "--repeat").Single();
        if (args.Get("--measure-folder") is { } folder)
        {
            Console.WriteLine(ResultPrefix + BenchSizeRun.Measure(folder, repeat).ToJsonString());
            return 0;
        }

        if (args.Has("--kubernetes"))
        {
            var kubernetesRows = new List<JsonObject>();
            foreach (var routes in ParseList(args.Get("--routes") ?? "1000,10000", "--routes"))
            {
                kubernetesRows.Add(await BenchKubernetesRun.MeasureAsync(ControllerPath(args), routes, repeat));
            }

            Console.WriteLine(KubernetesReport(kubernetesRows, repeat));
            return 0;
        }

        var sizes = ParseList(args.Get("--routes") ?? "100,1000,10000", "--routes");
        var root = Directory.CreateTempSubdirectory("envoyext-bench-").FullName;
        try
        {
            var rows = new List<(int Routes, JsonObject Result)>();
            foreach (var routes in sizes)
            {
                var sizeFolder = Path.Combine(root, $"routes-{routes}");
                SyntheticConfig.Write(sizeFolder, routes);
                var result = await RunChildAsync(sizeFolder, repeat);
                foreach (var (key, value) in await BenchServeRun.MeasureAsync(ControllerPath(args), sizeFolder, repeat))
                {
                    result[key] = value?.DeepClone();
                }

                rows.Add((routes, result));
            }

            Console.WriteLine(Report(rows, repeat));
            return 0;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>This bench as a child process, started the way this one was (`dotnet x.dll` or the apphost).</summary>
    private static ProcessStartInfo SelfStartInfo(params string[] args) =>
        StartInfo(Environment.ProcessPath ?? throw new InvalidOperationException("cannot tell which executable is running"),
            typeof(BenchCommand).Assembly.Location, args);

    /// <summary>A process of <paramref name="program"/>: a .dll runs under `dotnet`, anything else directly.</summary>
    public static ProcessStartInfo ControllerStartInfo(string program, params string[] args) =>
        program.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)
            ? StartInfo("dotnet", program, args)
            : StartInfo(program, null, args);

    private static ProcessStartInfo StartInfo(string fileName, string? assembly, string[] args)
    {
        var start = new ProcessStartInfo { FileName = fileName, RedirectStandardOutput = true, UseShellExecute = false };
        if (assembly is not null && (Path.GetFileNameWithoutExtension(fileName) == "dotnet" || fileName == "dotnet"))
        {
            start.ArgumentList.Add(assembly);
        }

        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return start;
    }

    /// <summary>--controller, or the controller built next to this bench (artifacts/bin/EnvoyExt.Controller/&lt;config&gt;/).</summary>
    private static string ControllerPath(BenchArguments args)
    {
        if (args.Get("--controller") is { } given)
        {
            return File.Exists(given) ? Path.GetFullPath(given) : throw new UsageException($"--controller: file not found: {given}");
        }

        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var sibling = Path.Combine(here.Parent!.Parent!.FullName, "EnvoyExt.Controller", here.Name, "envoyext-controller.dll");
        return File.Exists(sibling) ? sibling : throw new UsageException($"--controller: not given and no controller at {sibling} (build src/EnvoyExt.Controller first)");
    }

    private static async Task<JsonObject> RunChildAsync(string folder, int repeat)
    {
        var start = SelfStartInfo("--measure-folder", folder, "--repeat", repeat.ToString(CultureInfo.InvariantCulture));
        using var child = Process.Start(start) ?? throw new InvalidOperationException("could not start the bench child process");
        JsonObject? result = null;
        while (await child.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line.StartsWith(ResultPrefix, StringComparison.Ordinal))
            {
                result = JsonNode.Parse(line[ResultPrefix.Length..])!.AsObject();
            }
            else
            {
                Console.WriteLine(line);
            }
        }

        await child.WaitForExitAsync();
        return child.ExitCode == 0 && result is not null
            ? result
            : throw new InvalidOperationException($"bench child for {folder} failed (exit code {child.ExitCode})");
    }

    private static string Report(List<(int Routes, JsonObject Result)> rows, int repeat)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(inv, $"Each size in a fresh process; translation times are medians of {repeat} after a warm-up, change latency the median of {repeat} file changes.");
        sb.AppendLine("Peak working set is VmHWM of the measuring process; `serve` columns are a real `serve` process on the same folder, this bench being its only ADS client.");
        sb.AppendLine("Synthetic: 1 Gateway + Gateway-wide RateLimitPolicy, N HTTPRoutes (one rule each), a RateLimitPolicy on every other route, a Service + EndpointSlice per 10 routes.");
        sb.AppendLine();
        sb.AppendLine("| HTTPRoutes | read YAML (cold / warm) | Gateway API -> IR | IR -> xDS | total (cold read + translation) | allocated per translation | live managed heap | peak working set: read + translate | `serve`: start -> first routes at client | `serve` working set: peak at first routes / peak after changes / 1 s after the last change | file change -> ADS client (incl. debounce) |");
        sb.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (var (routes, r) in rows)
        {
            var total = Ms(r, "readColdMs") + Ms(r, "gatewayApiMs") + Ms(r, "xdsMs");
            var latency = Median(r["changeToClientMs"]!.AsArray().Select(n => n!.GetValue<double>()).ToList());
            sb.AppendLine(inv, $"| {routes:N0} | {Ms(r, "readColdMs"):F0} / {Ms(r, "readWarmMs"):F0} ms | {Ms(r, "gatewayApiMs"):F0} ms | {Ms(r, "xdsMs"):F0} ms | {total:F0} ms | {MiB(r, "allocatedPerTranslationBytes"):F1} MiB | {MiB(r, "liveHeapBytes"):F0} MiB | {MiB(r, "peakWorkingSetBytes"):F0} MiB | {Ms(r, "startToFirstRoutesMs"):F0} ms | {MiB(r, "servePeakAtFirstRoutesBytes"):F0} / {MiB(r, "servePeakWorkingSetBytes"):F0} / {MiB(r, "serveWorkingSetBytes"):F0} MiB | {latency:F0} ms |");
        }

        var debounce = rows.Count > 0 ? Ms(rows[0].Result, "debounceMs") : 0;
        sb.AppendLine();
        sb.AppendLine(inv, $"The change latency includes the provider's {debounce:F0} ms debounce (a quiet period after the last file event): the controller's own share is the latency minus {debounce:F0} ms.");
        if (rows.Find(r => r.Routes == 1000) is { Result: not null } at1000)
        {
            sb.AppendLine(inv, $"1,000 routes: `serve` peak {MiB(at1000.Result, "servePeakWorkingSetBytes"):F0} MiB, {MiB(at1000.Result, "servePeakWorkingSetBytes") / EnvoyGatewayMiBAt1000:P0} of Envoy Gateway's reported {EnvoyGatewayMiBAt1000:F0} MiB.");
        }

        if (rows.Find(r => r.Routes == 10000) is { Result: not null } at10000)
        {
            var r = at10000.Result;
            sb.AppendLine(inv, $"10,000 routes: total {Ms(r, "readColdMs") + Ms(r, "gatewayApiMs") + Ms(r, "xdsMs"):F0} ms (goal < {GoalMsAt10000:F0} ms), translation alone {Ms(r, "gatewayApiMs") + Ms(r, "xdsMs"):F0} ms; peak read + translate {MiB(r, "peakWorkingSetBytes"):F0} MiB, `serve` with changes {MiB(r, "servePeakWorkingSetBytes"):F0} MiB (goal < {GoalMiBAt10000:F0} MiB).");
        }

        if (rows.Count >= 2)
        {
            var (smallRoutes, small) = rows[^2];
            var (largeRoutes, large) = rows[^1];
            var scale = (double)largeRoutes / smallRoutes;
            sb.AppendLine(inv, $"{smallRoutes:N0} -> {largeRoutes:N0} routes ({scale:F0}x): warm read {Ms(large, "readWarmMs") / Ms(small, "readWarmMs"):F1}x, Gateway API -> IR {Ms(large, "gatewayApiMs") / Ms(small, "gatewayApiMs"):F1}x, IR -> xDS {Ms(large, "xdsMs") / Ms(small, "xdsMs"):F1}x, live heap {MiB(large, "liveHeapBytes") / MiB(small, "liveHeapBytes"):F1}x.");
        }

        return sb.ToString();
    }

    private static string KubernetesReport(List<JsonObject> rows, int repeat)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(inv, $"`serve --kubeconfig` against the in-process API server double; the burst creates N HTTPRoutes and N/2 rule-level RateLimitPolicies at once; the change edits one route's path prefix ({repeat} times, medians).");
        sb.AppendLine("Translations are the controller's envoyext_translations_total: until the push carrying the last route, and once quiet for 3 s (status writes come back as watch events).");
        sb.AppendLine();
        sb.AppendLine("| HTTPRoutes | burst: objects created in | burst: first create -> ADS client | translations: to the push / settled | status PUTs | one route changed -> ADS client | translations per change | `serve` working set: peak at burst push / peak / now |");
        sb.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (var r in rows)
        {
            var latency = Median(r["changeToClientMs"]!.AsArray().Select(n => n!.GetValue<double>()).ToList());
            var perChange = Median(r["changeTranslations"]!.AsArray().Select(n => n!.GetValue<double>()).ToList());
            sb.AppendLine(inv, $"| {r["routes"]!.GetValue<int>():N0} | {Ms(r, "burstCreateMs"):F0} ms | {Ms(r, "burstToClientMs"):F0} ms | {Ms(r, "burstTranslationsToPush"):F0} / {Ms(r, "burstTranslationsSettled"):F0} | {r["statusWrites"]!.GetValue<int>():N0} | {latency:F0} ms | {perChange:F0} | {MiB(r, "servePeakAtBurstBytes"):F0} / {MiB(r, "servePeakWorkingSetBytes"):F0} / {MiB(r, "serveWorkingSetBytes"):F0} MiB |");
        }

        return sb.ToString();
    }

    private static double Ms(JsonObject result, string key) => result[key]!.GetValue<double>();

    private static double MiB(JsonObject result, string key) => result[key]!.GetValue<long>() / 1048576.0;

    public static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static List<int> ParseList(string value, string flag)
    {
        var result = new List<int>();
        foreach (var part in value.Split(','))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1)
            {
                throw new UsageException($"{flag}: expected positive integers separated by commas, got \"{value}\"");
            }

            result.Add(n);
        }

        return result;
    }
}
