using System.Runtime.InteropServices;
using EnvoyExt.DynamicModules.Sdk;

namespace EnvoyExt.DynamicModules.Exports;

/// <summary>
/// Program init. The module project's <c>.csproj</c> names this assembly as an
/// <c>UnmanagedEntryPointsAssembly</c>, so NativeAOT exports every hook of this folder from the module.
/// </summary>
internal static unsafe class ProgramExports
{
    /// <summary>
    /// Called once on Envoy's main thread. Resolves Envoy's callbacks and installs the catalogue the
    /// module registered through <see cref="DynamicModule.Register"/>; returns the ABI version string, or
    /// NULL (after naming every missing callback on stderr) so that Envoy refuses the module instead of
    /// crashing on the first request.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "envoy_dynamic_module_on_program_init")]
    public static byte* OnProgramInit()
    {
        try
        {
            return ModuleRuntime.Initialize(DynamicModule.BuildRegistry());
        }
        catch (Exception ex)
        {
            ExceptionBarrier.LogOnly("envoyext: program init failed", ex);
            return null;
        }
    }
}
