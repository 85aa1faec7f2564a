using EnvoyExt.ControlPlane.GatewayApi.Status;

namespace EnvoyExt.ControlPlane.GatewayApi;

/// <summary>
/// Collects what is wrong with a route while its rules are translated. The first reason of each
/// kind becomes the condition's reason; every message is kept so users see all problems at once.
/// </summary>
internal sealed class RouteProblems
{
    private readonly List<string> _acceptedMessages = [];
    private readonly List<string> _refMessages = [];

    public string? AcceptedReason { get; private set; }

    public string? RefsReason { get; private set; }

    public string? AcceptedMessage => _acceptedMessages.Count == 0 ? null : string.Join("; ", _acceptedMessages);

    public string? RefsMessage => _refMessages.Count == 0 ? null : string.Join("; ", _refMessages);

    public void Unsupported(string message) => NotAccepted(Reasons.UnsupportedValue, message);

    public void NotAccepted(string reason, string message)
    {
        AcceptedReason ??= reason;
        _acceptedMessages.Add(message);
    }

    public void Unresolved(string reason, string message)
    {
        RefsReason ??= reason;
        _refMessages.Add(message);
    }
}
