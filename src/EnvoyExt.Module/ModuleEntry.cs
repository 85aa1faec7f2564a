using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using EnvoyExt.DynamicModules.Sdk;

namespace EnvoyExt.Module;

/// <summary>Hands the production catalogue to the SDK before Envoy's first call into libenvoyext.so.</summary>
internal static class ModuleEntry
{
    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255", Justification = "This assembly is the module's root: NativeAOT runs its initializer before program init.")]
    internal static void Register() => DynamicModule.Register(FilterCatalog.Production());
}
