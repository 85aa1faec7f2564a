using Microsoft.Extensions.Logging;

namespace EnvoyExt.ControlPlane.XdsServer;

/// <summary>
/// The xDS server's log lines, source-generated so a disabled level costs no formatting or boxing;
/// one place to read every message the server can write.
/// </summary>
internal static partial class XdsLog
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "node {Node}: ignoring request for unserved type {Type}")]
    public static partial void UnservedType(ILogger logger, string? node, string type);

    [LoggerMessage(Level = LogLevel.Debug, Message = "node {Node}: ignoring delta request for unserved type {Type}")]
    public static partial void UnservedDeltaType(ILogger logger, string? node, string type);

    [LoggerMessage(Level = LogLevel.Warning, Message = "node {Node} ({NodeId}): no Gateway with this key yet; waiting for one{Suppressed}")]
    public static partial void WaitingForGateway(ILogger logger, string node, string nodeId, string suppressed);

    [LoggerMessage(Level = LogLevel.Information, Message = "ADS ({Protocol}) stream opened: node {NodeId}, gateway key {Key}{Suppressed}")]
    public static partial void StreamOpened(ILogger logger, string protocol, string nodeId, string key, string suppressed);

    [LoggerMessage(Level = LogLevel.Information, Message = "ADS ({Protocol}) stream closed: node {NodeId}, gateway key {Key}: {Reason}{Suppressed}")]
    public static partial void StreamClosed(ILogger logger, string protocol, string nodeId, string key, string reason, string suppressed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "node {Node} ({NodeId}) rejected {Type} version {Version}: {Reason}{Suppressed}")]
    public static partial void Nack(ILogger logger, string node, string nodeId, string type, string? version, string reason, string suppressed);

    [LoggerMessage(Level = LogLevel.Information, Message = "published snapshot {Version}: {Gateways} gateway(s), {Changed} changed, translated in {Ms:F1} ms")]
    public static partial void Published(ILogger logger, long version, int gateways, int changed, double ms);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Message}")]
    public static partial void TranslationError(ILogger logger, string message);
}
