using System.Net;

namespace EnvoyExt.ControlPlane.XdsServer;

/// <summary>Where and how the ADS server listens.</summary>
public sealed record XdsServerOptions
{
    /// <summary>Loopback by default: exposing xDS is a deliberate choice (and should come with TLS).</summary>
    public IPEndPoint Address { get; init; } = new(IPAddress.Loopback, 18000);

    /// <summary>PEM certificate chain; with <see cref="TlsKeyFile"/> switches the listener to TLS.</summary>
    public string? TlsCertFile { get; init; }

    public string? TlsKeyFile { get; init; }

    /// <summary>Large enough for a reconnecting proxy's requests and for big SotW responses (4 MiB broke others).</summary>
    public int MaxMessageBytes { get; init; } = 32 * 1024 * 1024;
}

/// <summary>Parses "host:port" the way the CLI takes addresses.</summary>
public static class EndpointParser
{
    public static IPEndPoint Parse(string value, string flag)
    {
        var colon = value.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(value.AsSpan(colon + 1), out var port) || port is < 0 or > 65535)
        {
            throw new ArgumentException($"{flag}: expected <ip>:<port>, got \"{value}\"");
        }
        var host = value[..colon].Trim('[', ']');
        if (host == "localhost")
        {
            return new IPEndPoint(IPAddress.Loopback, port);
        }
        if (!IPAddress.TryParse(host, out var ip))
        {
            throw new ArgumentException($"{flag}: \"{host}\" is not an IP address");
        }
        return new IPEndPoint(ip, port);
    }
}
