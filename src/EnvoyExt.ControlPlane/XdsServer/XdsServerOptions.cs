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

    /// <summary>
    /// Largest request accepted. A request carries names, not resources: a proxy's resubscription to
    /// every route and cluster of a 10,000-route Gateway is well under 1 MiB. gRPC buffers a whole
    /// message before we see it, so this bounds what one stream can make the server hold.
    /// </summary>
    public int MaxReceiveMessageBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>Open connections (Kestrel); further ones wait in the accept queue.</summary>
    public int MaxConnections { get; init; } = 512;

    /// <summary>Concurrent streams per HTTP/2 connection; an Envoy opens one ADS stream per connection.</summary>
    public int MaxStreamsPerConnection { get; init; } = 8;

    /// <summary>Per-stream limits on what a client can make the server queue and remember.</summary>
    public AdsStreamLimits Stream { get; init; } = new();
}

/// <summary>What one ADS stream may make the server hold; beyond it the stream is closed with a status saying which limit.</summary>
public sealed record AdsStreamLimits
{
    /// <summary>Requests read but not yet handled, which happens only while the stream's writer waits on the client's flow control.</summary>
    public int MaxQueuedRequests { get; init; } = 64;

    /// <summary>Serialized bytes of those queued requests.</summary>
    public long MaxQueuedRequestBytes { get; init; } = 8 * 1024 * 1024;

    /// <summary>resource_names (SotW) or resource_names_subscribe + unsubscribe + initial versions (Delta) per request.</summary>
    public int MaxResourceNames { get; init; } = 65_536;

    /// <summary>Total UTF-8 bytes of those names per request.</summary>
    public int MaxResourceNameBytes { get; init; } = 2 * 1024 * 1024;

    /// <summary>node.id and node.cluster: a Gateway key is "&lt;namespace&gt;/&lt;name&gt;", at most 317 characters.</summary>
    public int MaxNodeFieldBytes { get; init; } = 1024;

    /// <summary>A response the client has not taken within this time (flow control) closes the stream.</summary>
    public TimeSpan WriteTimeout { get; init; } = TimeSpan.FromSeconds(30);
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
