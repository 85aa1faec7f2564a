using Microsoft.Extensions.Logging;

namespace EnvoyExt.ControlPlane.Providers.Kubernetes;

/// <summary>The Kubernetes provider's log lines, source-generated so that a disabled level costs nothing.</summary>
internal static partial class KubernetesLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "{Kind} is not served by the API server ({Error}); checking again in {BackoffMs} ms")]
    public static partial void KindNotServed(ILogger logger, string kind, string error, int backoffMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Kind}: {Error}; retrying in {BackoffMs} ms")]
    public static partial void WatchFailed(ILogger logger, string kind, string error, int backoffMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Kind}: resource version {Version} is too old; listing again")]
    public static partial void VersionTooOld(ILogger logger, string kind, string version);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Identity} {State} leadership of lease {Namespace}/{Lease}")]
    public static partial void LeadershipChanged(ILogger logger, string identity, string state, string @namespace, string lease);

    [LoggerMessage(Level = LogLevel.Warning, Message = "lease {Namespace}/{Lease}: {Error}")]
    public static partial void LeaseFailed(ILogger logger, string @namespace, string lease, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "releasing lease {Namespace}/{Lease}: {Error}")]
    public static partial void LeaseReleaseFailed(ILogger logger, string @namespace, string lease, string error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "status publisher stopped")]
    public static partial void StatusPublisherStopped(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "status of {Kind} {Key}: {Error}")]
    public static partial void StatusWriteFailed(ILogger logger, string kind, string key, string error);
}
