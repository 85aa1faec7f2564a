using System.Diagnostics;

namespace EnvoyExt.Module.IntegrationTests.Harness;

/// <summary>
/// Runs a <see cref="Scenario"/> through the ABI host CLI (<c>envoyext-host run &lt;file&gt;</c>) against one
/// published module and returns the parsed result. <c>new HostRunner()</c> uses the test module
/// (<c>libenvoyext_test.so</c>, module name <c>envoyext_test</c>: production filters plus diagnostics);
/// <see cref="Production"/> uses <c>libenvoyext.so</c> (module name <c>envoyext</c>). Paths come from
/// <c>ENVOYEXT_HOST_BIN</c>, <c>ENVOYEXT_TEST_MODULE_DIR</c> and <c>ENVOYEXT_MODULE_DIR</c> (the Makefile
/// exports them), defaulting to <c>&lt;repo&gt;/build/native/bin/envoyext-host</c>, <c>&lt;repo&gt;/build/test-module</c>
/// and <c>&lt;repo&gt;/build/module</c>. The host process gets <c>ENVOY_DYNAMIC_MODULES_SEARCH_PATH</c> = module dir.
/// </summary>
public sealed class HostRunner
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(2);

    /// <summary>A runner for the test module.</summary>
    public HostRunner()
        : this("envoyext_test", Environment.GetEnvironmentVariable("ENVOYEXT_TEST_MODULE_DIR") ?? Path.Combine(RepoRoot(), "build", "test-module"))
    {
    }

    private HostRunner(string moduleName, string moduleDir)
    {
        HostBinary = Environment.GetEnvironmentVariable("ENVOYEXT_HOST_BIN") ?? Path.Combine(RepoRoot(), "build", "native", "bin", "envoyext-host");
        ModuleName = moduleName;
        ModuleDir = moduleDir;
    }

    /// <summary>A runner for the production module, libenvoyext.so.</summary>
    public static HostRunner Production() =>
        new("envoyext", Environment.GetEnvironmentVariable("ENVOYEXT_MODULE_DIR") ?? Path.Combine(RepoRoot(), "build", "module"));

    public string HostBinary { get; }

    /// <summary>The Envoy module name (the library is lib&lt;name&gt;.so in <see cref="ModuleDir"/>).</summary>
    public string ModuleName { get; }

    public string ModuleDir { get; }

    /// <summary>The module's shared library.</summary>
    public string LibraryPath => Path.Combine(ModuleDir, $"lib{ModuleName}.so");

    /// <summary>Runs the scenario; throws with the host's stderr when the run fails or prints no JSON.</summary>
    /// <param name="environment">Extra or overriding environment variables (null value removes one).</param>
    public HostResult Run(Scenario scenario, IReadOnlyDictionary<string, string?>? environment = null, TimeSpan? timeout = null)
    {
        var (exitCode, stdout, stderr) = RunRaw(scenario, environment, timeout);
        if (string.IsNullOrWhiteSpace(stdout))
        {
            throw new InvalidOperationException($"envoyext-host printed no result (exit {exitCode}).\nstderr:\n{stderr}");
        }
        try
        {
            return HostResult.Parse(exitCode, stdout, stderr);
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new InvalidOperationException($"envoyext-host result is not the documented JSON ({ex.Message}).\nstdout:\n{stdout}\nstderr:\n{stderr}", ex);
        }
    }

    /// <summary>Runs the scenario and returns the raw exit code and streams (for tests of failure modes).</summary>
    public (int ExitCode, string Stdout, string Stderr) RunRaw(Scenario scenario, IReadOnlyDictionary<string, string?>? environment = null, TimeSpan? timeout = null)
    {
        EnsureArtifacts();
        var file = Path.Combine(Path.GetTempPath(), $"envoyext-scenario-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, scenario.ToJson(ModuleName));
        try
        {
            var start = new ProcessStartInfo(HostBinary)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add("run");
            start.ArgumentList.Add(file);
            start.Environment["ENVOY_DYNAMIC_MODULES_SEARCH_PATH"] = ModuleDir;
            foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
            {
                if (value is null)
                {
                    start.Environment.Remove(key);
                }
                else
                {
                    start.Environment[key] = value;
                }
            }

            using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {HostBinary}");
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout ?? DefaultTimeout))
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
                throw new TimeoutException($"envoyext-host did not finish within {timeout ?? DefaultTimeout}; scenario kept at {file}.\nstderr so far:\n{stderr.Result}");
            }
            process.WaitForExit(); // drains the redirected streams
            return (process.ExitCode, stdout.Result, stderr.Result);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>
    /// Runs the host benchmark (<c>envoyext-host-bench</c>, next to <see cref="HostBinary"/> or
    /// <c>ENVOYEXT_HOST_BENCH_BIN</c>) for one filter and returns its JSON summary (ns_per_request,
    /// managed_bytes_per_request, ...). Tests use it only for allocation counts, never for timings.
    /// <paramref name="cluster"/> (<c>NAME=ADDRESS</c>) is a cluster the filter's callouts reach; an address of
    /// <c>{{auth_http}}</c> or <c>h2c://{{auth_grpc}}</c> is the benchmark's own authorization service, and the
    /// run fails unless it allowed every check.
    /// </summary>
    public System.Text.Json.JsonElement RunBench(string filter, string config, int requests, int workers, int warmup, string? cluster = null)
    {
        EnsureArtifacts();
        var benchBinary = Environment.GetEnvironmentVariable("ENVOYEXT_HOST_BENCH_BIN")
            ?? Path.Combine(Path.GetDirectoryName(HostBinary)!, "envoyext-host-bench");
        var start = new ProcessStartInfo(benchBinary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--module-dir", ModuleDir, "--module", ModuleName, "--filter", filter, "--config", config,
                                    "--requests", $"{requests}", "--workers", $"{workers}", "--warmup", $"{warmup}" })
        {
            start.ArgumentList.Add(arg);
        }
        if (cluster is not null)
        {
            start.ArgumentList.Add("--cluster");
            start.ArgumentList.Add(cluster);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {benchBinary}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(DefaultTimeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw new TimeoutException($"envoyext-host-bench did not finish within {DefaultTimeout}");
        }
        process.WaitForExit();
        var lastLine = stdout.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault()
            ?? throw new InvalidOperationException($"envoyext-host-bench printed nothing (exit {process.ExitCode}).\nstderr:\n{stderr.Result}");
        using var doc = System.Text.Json.JsonDocument.Parse(lastLine);
        return doc.RootElement.Clone();
    }

    private void EnsureArtifacts()
    {
        if (!File.Exists(HostBinary))
        {
            throw new FileNotFoundException($"ABI host not found at {HostBinary}: run `make native` (or set ENVOYEXT_HOST_BIN).");
        }
        if (!File.Exists(LibraryPath))
        {
            throw new FileNotFoundException($"{LibraryPath} not found: run `make module test-module` (or set ENVOYEXT_MODULE_DIR / ENVOYEXT_TEST_MODULE_DIR).");
        }
    }

    /// <summary>The directory holding EnvoyExt.sln, found by walking up from the test binary.</summary>
    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EnvoyExt.sln")))
            {
                return dir.FullName;
            }
        }
        throw new DirectoryNotFoundException("EnvoyExt.sln not found above " + AppContext.BaseDirectory);
    }
}
