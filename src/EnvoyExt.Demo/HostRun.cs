using System.Diagnostics;
using System.Text.Json.Nodes;

namespace EnvoyExt.Demo;

/// <summary>Runs `envoyext-host run` on a scenario and returns its result document.</summary>
internal static class HostRun
{
    public static async Task<JsonObject> RunAsync(string hostBinary, string moduleDir, JsonObject scenario)
    {
        var file = Path.Combine(Path.GetTempPath(), $"envoyext-demo-{Environment.ProcessId}.json");
        await File.WriteAllTextAsync(file, scenario.ToJsonString());
        try
        {
            var start = new ProcessStartInfo(hostBinary, ["run", file])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            start.Environment["ENVOY_DYNAMIC_MODULES_SEARCH_PATH"] = moduleDir;
            using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {hostBinary}");
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"envoyext-host exited with {process.ExitCode}: {await stderr}");
            }

            return JsonNode.Parse(await stdout)?.AsObject()
                ?? throw new InvalidOperationException("envoyext-host printed no result");
        }
        finally
        {
            File.Delete(file);
        }
    }
}
