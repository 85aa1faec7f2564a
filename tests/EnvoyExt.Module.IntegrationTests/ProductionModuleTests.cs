using System.Diagnostics;
using EnvoyExt.Module.IntegrationTests.Harness;

namespace EnvoyExt.Module.IntegrationTests;

/// <summary>
/// The shipped libenvoyext.so carries nothing for tests: it exports Envoy's hooks only (no benchmark
/// probe), and no diagnostic filter can be configured in it, whatever the environment says.
/// </summary>
public class ProductionModuleTests
{
    private readonly HostRunner _production = HostRunner.Production();

    [Fact]
    public void Exports_only_envoy_dynamic_module_on_hooks()
    {
        var symbols = DefinedDynamicSymbols(_production.LibraryPath);

        Assert.Contains("envoy_dynamic_module_on_program_init", symbols);
        Assert.Contains("envoy_dynamic_module_on_http_filter_request_headers", symbols);
        Assert.Contains("envoy_dynamic_module_on_http_filter_http_stream_trailers", symbols);
        Assert.All(symbols, s => Assert.StartsWith("envoy_dynamic_module_on_", s, StringComparison.Ordinal));
    }

    [Fact]
    public void The_test_module_exports_the_benchmark_probe_next_to_the_same_hooks()
    {
        var production = DefinedDynamicSymbols(_production.LibraryPath);
        var test = DefinedDynamicSymbols(new HostRunner().LibraryPath);

        Assert.Equal(["envoyext_module_allocated_bytes"], test.Except(production));
        Assert.Empty(production.Except(test));
    }

    [Theory]
    [InlineData("passthrough", "{}")]
    [InlineData("abi_probe", "{}")]
    [InlineData("test_throw", """{"hook":"request_headers"}""")]
    public void Diagnostic_filters_are_unknown_whatever_the_environment_says(string filter, string config)
    {
        var result = _production.Run(
            new Scenario([new FilterSpec(filter, config)], [RequestSpec.Get("/", ("x-probe-local-reply", "418"))]),
            new Dictionary<string, string?> { ["ENVOYEXT_ENABLE_TEST_FILTERS"] = "1" });

        Assert.True(result.ProgramInit.Loaded, result.Describe());
        Assert.Contains(result.ConfigErrors, e => e.FilterName == filter);
        Assert.True(result.LogContains($"unknown filter_name '{filter}'"), result.Describe());
        var r = Assert.Single(result.Results);
        Assert.Null(r.LocalReply); // no x-probe-* behaviour
        Assert.Equal(200, r.DownstreamResponse!.Status);
    }

    /// <summary>
    /// <c>nm -D --defined-only</c>: the ELF dynamic symbol table's defined entries. The symbol-version
    /// definition the linker adds (an absolute symbol named after the version node, e.g. V1.0) is not
    /// an export and is left out.
    /// </summary>
    private static IReadOnlyList<string> DefinedDynamicSymbols(string library)
    {
        Assert.True(File.Exists(library), $"{library} missing: run `make module test-module`");
        var start = new ProcessStartInfo("nm") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "-D", "--defined-only", library })
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start nm");
        var stdout = process.StandardOutput.ReadToEnd();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"nm failed: {stderr}");
        var symbols = new List<string>();
        foreach (var line in stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 3 && fields[1] == "A")
            {
                continue; // the version node
            }
            symbols.Add(fields[^1].Split('@')[0]);
        }
        Assert.NotEmpty(symbols);
        return symbols;
    }
}
