using System.Runtime.InteropServices;
using EnvoyExt.Module.IntegrationTests.Harness;

namespace EnvoyExt.Module.IntegrationTests;

/// <summary>
/// Loads the real modules into this test process, which exports none of Envoy's callbacks: program
/// init must return NULL (so Envoy would refuse the module) instead of crashing later. The message
/// naming each missing symbol is checked by the SDK unit tests.
/// </summary>
public class ProgramInitWithoutEnvoyTests
{
    [Fact]
    public unsafe void Production_program_init_returns_null_when_the_process_exports_no_Envoy_callbacks()
    {
        var path = HostRunner.Production().LibraryPath;
        Assert.True(File.Exists(path), $"{path} missing: run `make module`");
        var module = NativeLibrary.Load(path);
        var init = (delegate* unmanaged<byte*>)NativeLibrary.GetExport(module, "envoy_dynamic_module_on_program_init");

        Assert.True(init() == null);
    }

    [Fact]
    public unsafe void Test_module_program_init_returns_null_too_and_its_runtime_keeps_answering()
    {
        var path = new HostRunner().LibraryPath;
        Assert.True(File.Exists(path), $"{path} missing: run `make test-module`");
        var module = NativeLibrary.Load(path);
        var init = (delegate* unmanaged<byte*>)NativeLibrary.GetExport(module, "envoy_dynamic_module_on_program_init");
        var allocated = (delegate* unmanaged<long>)NativeLibrary.GetExport(module, "envoyext_module_allocated_bytes");

        Assert.True(init() == null);
        Assert.True(allocated() > 0); // the module's runtime is alive and answering after the refusal
    }
}
