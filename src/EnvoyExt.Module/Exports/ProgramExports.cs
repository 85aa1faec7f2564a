using System.Runtime.InteropServices;
using EnvoyExt.DynamicModules.Sdk;

namespace EnvoyExt.Module.Exports;

/// <summary>Module-wide exports: program init and the allocation probe used by the host benchmark.</summary>
internal static unsafe class ProgramExports
{
    /// <summary>
    /// Called once on Envoy's main thread. Resolves Envoy's callbacks and registers the filter catalogue;
    /// returns the ABI version string, or NULL (after naming every missing callback on stderr) so that
    /// Envoy refuses the module instead of crashing on the first request.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "envoy_dynamic_module_on_program_init")]
    public static byte* OnProgramInit()
    {
        try
        {
            return ModuleRuntime.Initialize(FilterCatalog.Create(TestFiltersEnabled()));
        }
        catch (Exception ex)
        {
            ExceptionBarrier.LogOnly("envoyext: program init failed", ex);
            return null;
        }
    }

    /// <summary>Total managed bytes this module's runtime has allocated (benchmarks divide by requests).</summary>
    [UnmanagedCallersOnly(EntryPoint = "envoyext_module_allocated_bytes")]
    public static long AllocatedBytes()
    {
        try
        {
            return GC.GetTotalAllocatedBytes(precise: true);
        }
        catch
        {
            return -1;
        }
    }

    private static bool TestFiltersEnabled() => Environment.GetEnvironmentVariable("ENVOYEXT_ENABLE_TEST_FILTERS") == "1";
}
