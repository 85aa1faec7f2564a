using System.Runtime.InteropServices;

namespace EnvoyExt.TestModule;

/// <summary>The benchmark-only export: `envoyext-host bench` reads it before and after the measured phase.</summary>
internal static class AllocationProbeExport
{
    /// <summary>Total managed bytes this module's runtime has allocated, or -1 if the runtime cannot say.</summary>
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
}
