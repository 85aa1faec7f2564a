using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using EnvoyExt.DynamicModules.Sdk;
using EnvoyExt.Module;
using EnvoyExt.TestModule.Diagnostics;

namespace EnvoyExt.TestModule;

/// <summary>The production catalogue plus the diagnostic filters, handed to the SDK before program init.</summary>
internal static class TestModuleEntry
{
    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255", Justification = "This assembly is the module's root: NativeAOT runs its initializer before program init.")]
    internal static void Register()
    {
        DynamicModule.Register(FilterCatalog.Production());
        DynamicModule.Register(new PassthroughFilterFactory(), new TestThrowFilterFactory(), new AbiProbeFilterFactory());
    }
}
