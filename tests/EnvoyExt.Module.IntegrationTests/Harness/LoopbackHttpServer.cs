using System.Net.Sockets;
using System.Text;

namespace EnvoyExt.Module.IntegrationTests.Harness;

/// <summary>
/// A minimal HTTP/1.1 server on 127.0.0.1 (ephemeral port) that answers every request with a fixed
/// status and body and records the requests it received. Enough for callout targets. A chunked
/// request is read to its end (trailers included) before the answer; with <c>trailers</c> the answer
/// is chunked, one chunk per element of <c>chunks</c>, followed by those trailers.
/// </summary>
public sealed class LoopbackHttpServer : LoopbackServer
{
    private readonly int _status;
    private readonly string _body;
    private readonly IReadOnlyList<string>? _chunks;
    private readonly IReadOnlyList<(string Name, string Value)>? _trailers;

    public LoopbackHttpServer(int status, string body)
        : this(status, body, null, null)
    {
    }

    private LoopbackHttpServer(int status, string body, IReadOnlyList<string>? chunks, IReadOnlyList<(string Name, string Value)>? trailers)
    {
        _status = status;
        _body = body;
        _chunks = chunks;
        _trailers = trailers;
        Start();
    }

    /// <summary>A server whose answer is chunked (one chunk per element) and ends with <paramref name="trailers"/>.</summary>
    public static LoopbackHttpServer Chunked(int status, IReadOnlyList<string> chunks, params (string Name, string Value)[] trailers) =>
        new(status, string.Concat(chunks), chunks, trailers);

    /// <summary>"127.0.0.1:port", the form the scenario's clusters map takes.</summary>
    public string Address => $"127.0.0.1:{Port}";

    // Recorded: request line, headers and, for chunked requests, the raw chunked body.
    protected override async Task AnswerAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var (head, _) = await ReadRequestAsync(stream, RequestComplete);
                Record(head);
                if (_trailers is not null)
                {
                    var chunked = new StringBuilder($"HTTP/1.1 {_status} Probe\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
                    foreach (var chunk in _chunks!)
                    {
                        chunked.Append($"{Encoding.UTF8.GetByteCount(chunk):x}\r\n{chunk}\r\n");
                    }
                    chunked.Append("0\r\n");
                    foreach (var (name, value) in _trailers)
                    {
                        chunked.Append($"{name}: {value}\r\n");
                    }
                    chunked.Append("\r\n");
                    await stream.WriteAsync(Encoding.UTF8.GetBytes(chunked.ToString()), Stopping);
                    return;
                }
                var payload = Encoding.UTF8.GetBytes(_body);
                var response = $"HTTP/1.1 {_status} Probe\r\nContent-Type: text/plain\r\nContent-Length: {payload.Length}\r\nConnection: close\r\n\r\n";
                await stream.WriteAsync(Encoding.ASCII.GetBytes(response), Stopping);
                await stream.WriteAsync(payload, Stopping);
            }
            catch (Exception) when (IsStopping)
            {
                // Shutting down.
            }
            catch (IOException)
            {
                // The host gave up on the connection (e.g. a timeout test); nothing to answer.
            }
        }
    }

    // The head is complete at the blank line; a chunked body at its last chunk and trailer block.
    private static bool RequestComplete(string received)
    {
        var headEnd = received.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (headEnd < 0)
        {
            return false;
        }
        if (!received[..headEnd].Contains("transfer-encoding: chunked", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        var body = received[(headEnd + 4)..];
        var last = body.StartsWith("0\r\n", StringComparison.Ordinal) ? 0 : body.IndexOf("\r\n0\r\n", StringComparison.Ordinal);
        return last >= 0 && body.EndsWith("\r\n\r\n", StringComparison.Ordinal) && body.Length > last + 4;
    }
}
