using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using EnvoyExt.ControlPlane.Tests.Xds;

namespace EnvoyExt.ControlPlane.Tests.Hostile;

/// <summary>The real envoyext-controller, built with the tests (same configuration), run as a child process.</summary>
internal sealed class ControllerProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ControllerProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public static string Dll
    {
        get
        {
            // The tests run from artifacts/bin/EnvoyExt.ControlPlane.Tests/<config>/.
            var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/')).Name;
            var dll = Path.Combine(RepoPaths.Root, "artifacts", "bin", "EnvoyExt.Controller", configuration, "envoyext-controller.dll");
            Assert.True(File.Exists(dll), $"controller not built: {dll}");
            return dll;
        }
    }

    public static ControllerProcess Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        return new ControllerProcess(Process.Start(start)!);
    }

    /// <summary>Runs a one-shot command to completion (bounded) and returns its exit code and output.</summary>
    public static (int ExitCode, string Output) Run(params string[] args)
    {
        using var process = Start(args);
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(60)), "the command did not finish");
        return (process.ExitCode, process.Output);
    }

    public bool WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            return false;
        }
        _process.WaitForExit(); // drain the output readers
        return true;
    }

    public void Signal(string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-" + signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })!;
        kill.WaitForExit();
    }

    /// <summary>Resident memory of the process now and at its peak, in bytes (Linux /proc).</summary>
    public (long Rss, long Peak) Memory()
    {
        long rss = 0, peak = 0;
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = Kilobytes(line) * 1024;
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                peak = Kilobytes(line) * 1024;
            }
        }
        return (rss, peak);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Waits until the admin endpoint answers, or fails with the process output.</summary>
    public async Task WaitHealthyAsync(Uri admin)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(_process.HasExited, "serve exited early:\n" + Output);
            try
            {
                if ((await http.GetStringAsync(new Uri(admin, "/healthz"))) == "ok\n")
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }
            await Task.Delay(100);
        }
        Assert.Fail("serve did not become healthy:\n" + Output);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
        _process.Dispose();
    }

    private static long Kilobytes(string line) => long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            if (_output.Length < 1_000_000)
            {
                _output.AppendLine(line);
            }
        }
    }
}
