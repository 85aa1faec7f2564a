using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace EnvoyExt.Filters.RateLimit.Tests.Support;

/// <summary>
/// A real redis-server (Debian's package, installed by scripts/install-deps.sh) on a free loopback port, in its
/// own temp directory, without persistence. Stop and Start keep the port, to test outages and recovery.
/// </summary>
public sealed class RedisServer : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(10);
    private readonly string _dir;
    private Process? _process;

    public RedisServer()
    {
        _dir = Directory.CreateTempSubdirectory("envoyext-redis-").FullName;
        Port = FreePort();
        Start();
    }

    public int Port { get; }

    public string Address => $"127.0.0.1:{Port}";

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Start()
    {
        var start = new ProcessStartInfo("redis-server")
        {
            ArgumentList =
            {
                "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", _dir, "--daemonize", "no", "--loglevel", "warning",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start");
        _process.OutputDataReceived += static (_, _) => { };
        _process.ErrorDataReceived += static (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartTimeout)
        {
            if (Command("PING") == "+PONG")
            {
                return;
            }
            Thread.Sleep(20);
        }
        throw new InvalidOperationException($"redis-server did not answer on port {Port} within {StartTimeout}");
    }

    public void Stop()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
        _process?.Dispose();
        _process = null;
    }

    /// <summary>One inline command over a fresh connection; the first reply line, or null when Redis does not answer.</summary>
    public string? Command(string command)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, Port);
            client.ReceiveTimeout = 2000;
            using var stream = client.GetStream();
            stream.Write(System.Text.Encoding.ASCII.GetBytes(command + "\r\n"));
            using var reader = new StreamReader(stream, System.Text.Encoding.ASCII);
            var line = reader.ReadLine();
            if (line is not null && line.StartsWith('$') && line != "$-1")
            {
                return reader.ReadLine();
            }
            if (line is not null && line.StartsWith('*'))
            {
                int count = int.Parse(line.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture);
                var items = new List<string>();
                for (int i = 0; i < count; i++)
                {
                    reader.ReadLine();
                    items.Add(reader.ReadLine()!);
                }
                return string.Join('\n', items);
            }
            return line;
        }
        catch (SocketException)
        {
            return null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    public void Dispose()
    {
        Stop();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by the exiting server: the temp directory is cleaned by the OS later.
        }
    }
}
