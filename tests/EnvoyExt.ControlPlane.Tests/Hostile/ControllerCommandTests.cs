using System.Diagnostics;
using EnvoyExt.ControlPlane.Tests.Providers;
using EnvoyExt.ControlPlane.Tests.Xds;
using EnvoyExt.ControlPlane.XdsTranslation;

namespace EnvoyExt.ControlPlane.Tests.Hostile;

/// <summary>The real controller process: one-shot commands never crash, status tells problems by its exit code, SIGTERM always stops serve.</summary>
[Collection(ProcessCollection.Name)]
public sealed class ControllerCommandTests
{
    internal static void CopyQuickstart(TempFolder folder)
    {
        foreach (var file in Directory.GetFiles(Path.Combine(RepoPaths.Root, "examples", "quickstart"), "*.yaml"))
        {
            folder.Write(Path.GetFileName(file), File.ReadAllText(file));
        }
    }

    internal static void WriteHostileFiles(TempFolder folder)
    {
        folder.Write("laughs.yaml", YamlBoundsTests.BillionLaughs("bomb"));
        folder.Write("binary.yaml", new string('\0', 100) + "\u0001\u0002: [");
        folder.Write("deep.yaml", string.Concat(Enumerable.Repeat("[", 5000)));
        var fifo = Path.Combine(folder.Path, "pipe.yaml");
        if (!File.Exists(fifo))
        {
            using var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", [fifo]) { UseShellExecute = false })!;
            mkfifo.WaitForExit();
        }
        var loop = Path.Combine(folder.Path, "loop.yaml");
        if (!File.Exists(loop) && new FileInfo(loop).LinkTarget is null)
        {
            File.CreateSymbolicLink(loop, "loop.yaml");
        }
    }

    [Fact]
    public void TranslateAndStatusSurviveAHostileFolder()
    {
        using var folder = new TempFolder();
        CopyQuickstart(folder);
        WriteHostileFiles(folder);

        var translate = ControllerProcess.Run("translate", "--config-dir", folder.Path);
        var status = ControllerProcess.Run("status", "--config-dir", folder.Path);

        Assert.True(translate.ExitCode == 0, translate.Output);
        Assert.Contains("default/quickstart", translate.Output, StringComparison.Ordinal);
        Assert.Contains("laughs.yaml:", translate.Output, StringComparison.Ordinal);
        Assert.Contains("pipe.yaml: not a regular file", translate.Output, StringComparison.Ordinal);
        Assert.Equal(1, status.ExitCode);
        foreach (var output in new[] { translate.Output, status.Output })
        {
            Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void StatusExitsOneWhenAPolicyTargetsNothing()
    {
        using var folder = new TempFolder();
        CopyQuickstart(folder);
        Assert.Equal(0, ControllerProcess.Run("status", "--config-dir", folder.Path).ExitCode);

        folder.Write("40-orphan.yaml", """
            apiVersion: gateway.envoyext.io/v1alpha1
            kind: RateLimitPolicy
            metadata:
              name: orphan
              namespace: default
            spec:
              targetRefs:
                - { group: gateway.networking.k8s.io, kind: HTTPRoute, name: missing }
              defaults:
                rateLimit:
                  rules:
                    - limit: { requests: 5, unit: Minute }
            """);
        var (exitCode, output) = ControllerProcess.Run("status", "--config-dir", folder.Path);

        Assert.Equal(1, exitCode);
        Assert.Contains("status: report.policies[default/orphan].ancestors.conditions: Accepted=False (TargetNotFound)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SigtermStopsServePromptlyWithClientsConnectedAndHostileFiles()
    {
        using var folder = new TempFolder();
        CopyQuickstart(folder);
        WriteHostileFiles(folder);
        var xds = ControllerProcess.FreePort();
        var admin = new Uri($"http://127.0.0.1:{ControllerProcess.FreePort()}");
        using var serve = ControllerProcess.Start("serve", "--config-dir", folder.Path, "--xds-address", $"127.0.0.1:{xds}", "--admin-address", $"127.0.0.1:{admin.Port}");
        await serve.WaitHealthyAsync(admin);
        await using var client = new AdsTestClient(new Uri($"http://127.0.0.1:{xds}"), "default/quickstart");
        await client.SendAsync(XdsTypeUrls.Cluster);
        await client.ExpectAsync(XdsTypeUrls.Cluster);
        // Keeps the provider busy: a file that changes all the time.
        folder.Write("churn.yaml", Manifests.Route("churn"));

        var stopwatch = Stopwatch.StartNew();
        serve.Signal("TERM");

        Assert.True(serve.WaitForExit(TimeSpan.FromSeconds(15)), "serve did not stop after SIGTERM:\n" + serve.Output);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"serve took {stopwatch.Elapsed.TotalSeconds:F1} s to stop");
        Assert.Equal(0, serve.ExitCode);
        Assert.Contains("stopping", serve.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", serve.Output, StringComparison.Ordinal);
    }
}
