namespace EnvoyExt.ControlPlane.XdsServer;

/// <summary>Protocol-wide limits shared by the publisher and the server.</summary>
public static class XdsLimits
{
    /// <summary>
    /// The gRPC message size the server advertises and Envoy's bootstrap accepts: a response above
    /// it would be refused by the client, so a snapshot that needs one is not published.
    /// </summary>
    public const int MaxResponseBytes = 32 * 1024 * 1024;

    /// <summary>Room for the response envelope (type URL, version, nonce, control plane) and per-resource framing.</summary>
    public const int ResponseOverheadBytes = 64 * 1024;

    /// <summary>Text taken from a client (node ids, NACK messages) is cut to this many characters in logs and /status.</summary>
    public const int MaxClientTextChars = 512;

    public static string Shorten(string text, int max = 128) =>
        text.Length <= max ? text : string.Concat(text.AsSpan(0, max), $"... ({text.Length} chars)");
}
