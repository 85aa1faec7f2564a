using EnvoyExt.ControlPlane.Tests.Xds;

namespace EnvoyExt.ControlPlane.Tests.EnvoyConfig;

/// <summary>The bootstrap files under envoy-config/, read from the source tree.</summary>
internal static class EnvoyConfigFiles
{
    public static string Directory => Path.Combine(RepoPaths.Root, "envoy-config");

    public static IEnumerable<string> Names() =>
        System.IO.Directory.GetFiles(Directory, "*.yaml").Select(Path.GetFileName).Order(StringComparer.Ordinal)!;

    public static string Read(string name) => File.ReadAllText(Path.Combine(Directory, name));
}
