namespace EnvoyExt.ControlPlane.GatewayApi.Status;

/// <summary>
/// Every status the translator computed, shaped like the Kubernetes status stanzas so the admin
/// endpoint and CLI can print it as JSON and the Kubernetes provider can write it back.
/// Lists are sorted by namespace/name.
/// </summary>
public sealed record StatusReport(
    IReadOnlyList<GatewayClassStatus> GatewayClasses,
    IReadOnlyList<GatewayStatus> Gateways,
    IReadOnlyList<RouteStatus> Routes,
    IReadOnlyList<PolicyStatus> Policies,
    IReadOnlyList<string> Problems);

public sealed record GatewayClassStatus(string Name, IReadOnlyList<Condition> Conditions, IReadOnlyList<string> SupportedFeatures);

public sealed record GatewayStatus(
    string Namespace,
    string Name,
    IReadOnlyList<Condition> Conditions,
    IReadOnlyList<ListenerStatus> Listeners);

public sealed record ListenerStatus(
    string Name,
    IReadOnlyList<SupportedKind> SupportedKinds,
    int AttachedRoutes,
    IReadOnlyList<Condition> Conditions);

public sealed record SupportedKind(string Group, string Kind);

/// <summary>Status of an HTTPRoute or GRPCRoute: one entry per parentRef that names one of our Gateways.</summary>
public sealed record RouteStatus(string Kind, string Namespace, string Name, IReadOnlyList<RouteParentStatus> Parents);

public sealed record ParentRefStatus(string Group, string Kind, string Namespace, string Name, string? SectionName, int? Port);

public sealed record RouteParentStatus(ParentRefStatus ParentRef, string ControllerName, IReadOnlyList<Condition> Conditions);

/// <summary>GEP-713 policy status: one entry per ancestor (a Gateway, with sectionName when a listener).</summary>
public sealed record PolicyStatus(string Kind, string Namespace, string Name, IReadOnlyList<PolicyAncestorStatus> Ancestors);

public sealed record PolicyAncestorStatus(ParentRefStatus AncestorRef, string ControllerName, IReadOnlyList<Condition> Conditions);
