using System.Text;
using EnvoyExt.Filters.ExtAuth.Config;

namespace EnvoyExt.Filters.ExtAuth;

/// <summary>
/// One validated ext_auth document turned into the bytes the hot path copies (a listener's, or a route's
/// override). Immutable, shared by every worker.
/// </summary>
internal sealed class ExtAuthSettings
{
    /// <summary>A route that switched the check off.</summary>
    public static readonly ExtAuthSettings Disabled = new();

    private ExtAuthSettings()
    {
        IsDisabled = true;
        Cluster = [];
        Authority = [];
        PathPrefix = [];
        HeadersToExtAuth = [];
        HeadersToBackend = [];
        MetadataNamespace = [];
    }

    public ExtAuthSettings(ExtAuthConfig config)
    {
        Protocol = config.ParsedProtocol;
        Cluster = Encoding.UTF8.GetBytes(config.Cluster!);
        Authority = Encoding.UTF8.GetBytes(config.Authority ?? config.Cluster!);
        TimeoutMs = (ulong)(config.TimeoutMs ?? ExtAuthFilterContract.DefaultTimeoutMs);
        PathPrefix = config.PathPrefix is null ? [] : Encoding.UTF8.GetBytes(config.PathPrefix);
        HeadersToExtAuth = Names(config.HeadersToExtAuth);
        HeadersToBackend = Names(config.HeadersToBackend);
        MaxRequestBytes = config.MaxRequestBytes ?? 0;
        AllowPartialMessage = config.AllowPartialMessage ?? false;
        StatusOnError = (uint)(config.StatusOnError ?? ExtAuthFilterContract.DefaultStatusOnError);
        FailOpen = config.FailOpen ?? false;
        MetadataNamespace = Encoding.UTF8.GetBytes(config.MetadataNamespace ?? ExtAuthFilterContract.DefaultMetadataNamespace);
    }

    public bool IsDisabled { get; }

    public ExtAuthProtocol Protocol { get; }

    public byte[] Cluster { get; }

    /// <summary>gRPC <c>:authority</c>.</summary>
    public byte[] Authority { get; }

    public ulong TimeoutMs { get; }

    public byte[] PathPrefix { get; }

    /// <summary>HTTP mode: sent besides the defaults; gRPC mode: when non-empty, the only headers sent.</summary>
    public byte[][] HeadersToExtAuth { get; }

    public byte[][] HeadersToBackend { get; }

    public int MaxRequestBytes { get; }

    /// <summary>gRPC mode: the dynamic-metadata namespace of the answer's metadata.</summary>
    public byte[] MetadataNamespace { get; }

    public bool AllowPartialMessage { get; }

    public uint StatusOnError { get; }

    public bool FailOpen { get; }

    /// <summary>Whether the request body is collected before the check.</summary>
    public bool WantsBody => MaxRequestBytes > 0;

    /// <summary>Parses a route's document: <c>{"disabled":true}</c> or a full override.</summary>
    public static ExtAuthSettings? TryParse(ReadOnlySpan<byte> json, out string? error)
    {
        if (!ExtAuthConfigJson.TryParse(json, out var config, out error))
        {
            return null;
        }
        return config!.Disabled == true ? Disabled : new ExtAuthSettings(config);
    }

    private static byte[][] Names(List<string>? names) =>
        names is null ? [] : names.Select(Encoding.UTF8.GetBytes).ToArray();
}
