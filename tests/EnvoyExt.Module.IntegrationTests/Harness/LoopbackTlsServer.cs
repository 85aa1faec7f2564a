using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace EnvoyExt.Module.IntegrationTests.Harness;

/// <summary>
/// An HTTPS server on 127.0.0.1 (ephemeral port) for the host's TLS callouts: a fresh private CA
/// issues its certificate for <see cref="ServerName"/>; every request gets <c>200</c> with a fixed
/// JSON body. <see cref="CaFile"/> is that CA as PEM, the file an <c>https://</c> cluster trusts.
/// </summary>
public sealed class LoopbackTlsServer : IDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly X509Certificate2 _certificate;
    private readonly string _directory;
    private readonly Task _loop;
    private readonly List<string> _requests = [];

    public LoopbackTlsServer(string serverName, string body)
    {
        ServerName = serverName;
        _directory = Directory.CreateTempSubdirectory("envoyext-tls-").FullName;
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=EnvoyExt test JWKS CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        var now = DateTimeOffset.UtcNow;
        using var ca = caRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
        CaFile = Path.Combine(_directory, "ca.pem");
        File.WriteAllText(CaFile, ca.ExportCertificatePem());

        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leafRequest = new CertificateRequest($"CN={serverName}", leafKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(serverName);
        leafRequest.CertificateExtensions.Add(names.Build());
        leafRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var leaf = leafRequest.Create(ca, now.AddMinutes(-5), now.AddDays(1), RandomNumberGenerator.GetBytes(8));
        using var withKey = leaf.CopyWithPrivateKey(leafKey);
        // SslStream on Linux wants a certificate whose key it can hand to OpenSSL: a PKCS#12 round trip.
        _certificate = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);

        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _loop = Task.Run(() => ServeAsync(Encoding.UTF8.GetBytes(body)));
    }

    public string ServerName { get; }

    public int Port { get; }

    /// <summary>The private CA's certificate (PEM).</summary>
    public string CaFile { get; }

    /// <summary>The scenario's cluster value: TLS to this server, trusting <paramref name="caFile"/>, expecting <paramref name="sni"/>.</summary>
    public string Cluster(string caFile, string sni) => $"https://127.0.0.1:{Port}?ca={caFile}&sni={sni}";

    /// <summary>Request heads received over completed handshakes.</summary>
    public IReadOnlyList<string> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    private async Task ServeAsync(byte[] body)
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            _ = Task.Run(() => AnswerAsync(client, body));
        }
    }

    private async Task AnswerAsync(TcpClient client, byte[] body)
    {
        using (client)
        {
            try
            {
                await using var tls = new SslStream(client.GetStream());
                await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = _certificate }, _stop.Token);
                var head = new StringBuilder();
                var buffer = new byte[4096];
                while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    var n = await tls.ReadAsync(buffer, _stop.Token);
                    if (n == 0)
                    {
                        return;
                    }
                    head.Append(Encoding.ASCII.GetString(buffer, 0, n));
                }
                lock (_requests)
                {
                    _requests.Add(head.ToString());
                }
                var response = $"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n";
                await tls.WriteAsync(Encoding.ASCII.GetBytes(response), _stop.Token);
                await tls.WriteAsync(body, _stop.Token);
                await tls.ShutdownAsync();
            }
            catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException or OperationCanceledException)
            {
                // The client refused the certificate or went away: nothing to answer.
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }
        _certificate.Dispose();
        _stop.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
