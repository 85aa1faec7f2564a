using System.Text;
using EnvoyExt.DynamicModules.Abi;

namespace EnvoyExt.DynamicModules.Sdk;

/// <summary>Process-wide state of the module: the resolved callback table and the filter registry.</summary>
internal static unsafe class ModuleRuntime
{
    private static FilterRegistry s_registry = new();

    internal static FilterRegistry Registry => s_registry;

    /// <summary>
    /// Program init: resolves Envoy's callbacks and installs the registry. Returns the version string
    /// pointer, or null after writing every missing symbol to stderr (Envoy then refuses the module
    /// instead of crashing on the first request).
    /// </summary>
    public static byte* Initialize(FilterRegistry registry, Func<IReadOnlyList<string>>? resolve = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var missing = (resolve ?? EnvoyCallbacks.ResolveFromMainProgram)();
        if (missing.Count > 0)
        {
            var message = new StringBuilder("envoyext: program init failed: the host does not export ")
                .Append(missing.Count).Append(" required callback(s): ")
                .AppendJoin(", ", missing);
            ModuleLog.WriteStderr(Encoding.UTF8.GetBytes(message.ToString()));
            return null;
        }
        s_registry = registry;
        ModuleLog.Write(LogLevel.Info, "envoyext: module initialized (ABI " + AbiVersion.Text + "), filters: " + string.Join(", ", registry.Names));
        return AbiVersion.Pointer;
    }
}
