namespace EnvoyExt.ControlPlane.GatewayApi.Status;

/// <summary>Condition types and reasons, spelled exactly as Gateway API and GEP-713 define them (automation matches these strings).</summary>
public static class Reasons
{
    public const string Accepted = "Accepted";
    public const string InvalidParameters = "InvalidParameters";
    public const string Programmed = "Programmed";
    public const string ResolvedRefs = "ResolvedRefs";
    public const string Conflicted = "Conflicted";
    public const string Overridden = "Overridden";

    public const string ListenersNotValid = "ListenersNotValid";
    public const string Invalid = "Invalid";
    public const string UnsupportedProtocol = "UnsupportedProtocol";
    public const string PortUnavailable = "PortUnavailable";
    public const string UnsupportedValue = "UnsupportedValue";
    public const string InvalidRouteKinds = "InvalidRouteKinds";
    public const string HostnameConflict = "HostnameConflict";
    public const string ProtocolConflict = "ProtocolConflict";
    public const string NoConflicts = "NoConflicts";

    public const string NotAllowedByListeners = "NotAllowedByListeners";
    public const string NoMatchingListenerHostname = "NoMatchingListenerHostname";
    public const string NoMatchingParent = "NoMatchingParent";
    public const string IncompatibleFilters = "IncompatibleFilters";
    public const string BackendNotFound = "BackendNotFound";
    public const string RefNotPermitted = "RefNotPermitted";
    public const string InvalidCertificateRef = "InvalidCertificateRef";
    public const string InvalidCACertificateRef = "InvalidCACertificateRef";
    public const string InvalidCACertificateKind = "InvalidCACertificateKind";
    public const string InvalidKind = "InvalidKind";

    public const string TargetNotFound = "TargetNotFound";
    public const string NoValidCACertificate = "NoValidCACertificate";
}
