using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace EnvoyExt.Module.IntegrationTests.Harness;

/// <summary>
/// An HTTPS server on 127.0.0.1 (ephemeral port) for the host's TLS callouts: a fresh private CA
/// issues its certificate for <see cref="ServerName"/>; every request gets <c>200</c> with a fixed
/// JSON body. <see cref="CaFile"/> is that CA as PEM, the file an <c>https://</c> cluster trusts.
/// </summary>
public sealed class LoopbackTlsServer : LoopbackServer
{
    private readonly X509Certificate2 _certificate;
    private readonly string _directory;
    private readonly byte[] _body;

    public LoopbackTlsServer(string serverName, string body)
    {
        ServerName = serverName;
        _directory = Directory.CreateTempSubdirectory("envoyext-tls-").FullName;
        CaFile = Path.Combine(_directory, "ca.pem");
        _certificate = TestCertificateAuthority.IssueServerCertificate(serverName, CaFile);
        _body = Encoding.UTF8.GetBytes(body);
        Start();
    }

    public string ServerName { get; }

    /// <summary>The private CA's certificate (PEM).</summary>
    public string CaFile { get; }

    /// <summary>The scenario's cluster value: TLS to this server, trusting <paramref name="caFile"/>, expecting <paramref name="sni"/>.</summary>
    public string Cluster(string caFile, string sni) => $"https://127.0.0.1:{Port}?ca={caFile}&sni={sni}";

    // Recorded: request heads received over completed handshakes.
    protected override async Task AnswerAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                await using var tls = new SslStream(client.GetStream());
                await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = _certificate }, Stopping);
                var (head, closed) = await ReadRequestAsync(tls, received => received.Contains("\r\n\r\n", StringComparison.Ordinal));
                if (closed)
                {
                    return;
                }
                Record(head);
                var response = $"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {_body.Length}\r\nConnection: close\r\n\r\n";
                await tls.WriteAsync(Encoding.ASCII.GetBytes(response), Stopping);
                await tls.WriteAsync(_body, Stopping);
                await tls.ShutdownAsync();
            }
            catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException or OperationCanceledException)
            {
                // The client refused the certificate or went away: nothing to answer.
            }
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _certificate.Dispose();
            Directory.Delete(_directory, recursive: true);
        }
    }
}
