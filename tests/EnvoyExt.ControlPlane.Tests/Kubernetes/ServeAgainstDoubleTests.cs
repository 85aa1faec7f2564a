using System.Diagnostics;
using EnvoyExt.ControlPlane.Tests.Kubernetes.ApiServer;

namespace EnvoyExt.ControlPlane.Tests.Kubernetes;

/// <summary>
/// The controller executable end to end: `serve --kubeconfig` against the API server double, the
/// quickstart applied with kubectl, and kubectl waiting for the conditions the controller writes
/// (as leader of its Lease) through the status subresource.
/// </summary>
public sealed class ServeAgainstDoubleTests
{
    [Fact]
    public async Task ServeWritesStatusThatKubectlWaitsFor()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var kubeconfig = new KubeconfigFile(server.Address);
        var kubectl = new Kubectl(kubeconfig);
        var crds = await kubectl.RunAsync(null, "apply", "-f", Path.Combine(Xds.RepoPaths.Root, "deploy", "crds"));
        Assert.True(crds.ExitCode == 0, crds.ToString());
        var quickstart = await kubectl.RunAsync(null, "apply", "-f", Path.Combine(Xds.RepoPaths.Root, "examples", "quickstart"));
        Assert.True(quickstart.ExitCode == 0, quickstart.ToString());

        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var controller = StartController(kubeconfig, output);
        try
        {
            var wait = await kubectl.RunAsync(null, "wait", "--for=condition=Accepted", "gatewayclass/envoyext", "--timeout=45s");
            Assert.True(wait.ExitCode == 0, wait + "\ncontroller:\n" + string.Join('\n', output));
            wait = await kubectl.RunAsync(null, "wait", "--for=condition=Programmed", "gateway/quickstart", "--timeout=45s");
            Assert.True(wait.ExitCode == 0, wait + "\ncontroller:\n" + string.Join('\n', output));

            var holder = await kubectl.RunAsync(null, "get", "lease", "envoyext-controller", "-o", "jsonpath={.spec.holderIdentity}");
            Assert.Equal("serve-test", holder.Stdout);
            Assert.True(server.Requests("PUT HTTPRoute/status") >= 1);
        }
        finally
        {
            controller.Kill(entireProcessTree: true);
            await controller.WaitForExitAsync();
        }
    }

    private static Process StartController(KubeconfigFile kubeconfig, System.Collections.Concurrent.ConcurrentQueue<string> output)
    {
        // The controller's build output sits beside this test assembly's: artifacts/bin/<project>/<config>/.
        var testDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var binary = Path.Combine(testDir.Parent!.Parent!.FullName, "EnvoyExt.Controller", testDir.Name, "envoyext-controller");
        Assert.True(File.Exists(binary), "controller not built: " + binary);
        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "serve", "--kubeconfig", kubeconfig.Path, "--xds-address", "127.0.0.1:0", "--admin-address", "127.0.0.1:0" })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["POD_NAMESPACE"] = "default";
        start.Environment["POD_NAME"] = "serve-test";
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => output.Enqueue(e.Data ?? "");
        process.ErrorDataReceived += (_, e) => output.Enqueue(e.Data ?? "");
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
