namespace EnvoyExt.Demo;

/// <summary>Command-line options of envoyext-demo, with defaults that fit `make demo`.</summary>
internal sealed record DemoOptions(
    Uri XdsAddress, string NodeCluster, string HostBinary, string ModuleDir, string Path, IReadOnlyList<string?> Users, int Requests, int Workers)
{
    public static DemoOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"unexpected argument '{args[i]}'");
            }

            values[args[i][2..]] = args[i + 1];
        }

        string Get(string key, string fallback) => values.TryGetValue(key, out var v) ? v : fallback;
        return new DemoOptions(
            new Uri(Get("xds", "http://127.0.0.1:18000")),
            Get("node-cluster", "default/quickstart"),
            Get("host", Environment.GetEnvironmentVariable("ENVOYEXT_HOST_BIN") ?? "build/native/bin/envoyext-host"),
            Get("module-dir", Environment.GetEnvironmentVariable("ENVOYEXT_MODULE_DIR") ?? "build/module"),
            Get("path", "/api/orders"),
            values.TryGetValue("users", out var users) ? users.Split(',', StringSplitOptions.RemoveEmptyEntries) : new string?[] { null },
            int.Parse(Get("requests", "8"), System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(Get("workers", "1"), System.Globalization.CultureInfo.InvariantCulture));
    }
}
