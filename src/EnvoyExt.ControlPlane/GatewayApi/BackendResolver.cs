using EnvoyExt.ControlPlane.GatewayApi.Status;
using EnvoyExt.ControlPlane.Resources;

namespace EnvoyExt.ControlPlane.GatewayApi;

/// <summary>The outcome of resolving one backendRef: a cluster, or the ResolvedRefs reason and a message.</summary>
internal readonly record struct BackendResolution(string? ClusterName, string? FailureReason, string? Message);

/// <summary>
/// Resolves backendRefs to clusters with the checks the spec asks for: only core Services,
/// cross-namespace only when a ReferenceGrant allows it, the Service and port must exist.
/// </summary>
internal sealed class BackendResolver(ResourceIndex index, ClusterRegistry clusters)
{
    public BackendResolution Resolve(string routeKind, string routeNamespace, BackendReference reference, string field, bool http2)
    {
        if (reference.Group != GroupNames.Core || reference.Kind != "Service")
        {
            return Fail(Reasons.InvalidKind, $"{field}: kind {Describe(reference.Group, reference.Kind)} is not supported; only core Services are");
        }

        var ns = reference.Namespace ?? routeNamespace;
        if (!index.IsReferenceAllowed(GroupNames.GatewayApi, routeKind, routeNamespace, GroupNames.Core, "Service", ns, reference.Name))
        {
            return Fail(Reasons.RefNotPermitted, $"{field}: Service {ns}/{reference.Name} is in another namespace and no ReferenceGrant allows it");
        }

        var service = index.Service(ns, reference.Name);
        if (service is null)
        {
            return Fail(Reasons.BackendNotFound, $"{field}: Service {ns}/{reference.Name} not found");
        }

        if (reference.Port is not { } portNumber)
        {
            return Fail(Reasons.BackendNotFound, $"{field}.port: required when referring to a Service");
        }

        var port = service.Ports.FirstOrDefault(p => p.Port == portNumber);
        if (port is null)
        {
            return Fail(Reasons.BackendNotFound, $"{field}.port: Service {ns}/{reference.Name} has no port {portNumber}");
        }

        return new BackendResolution(clusters.Register(service, port, http2), null, null);
    }

    private static BackendResolution Fail(string reason, string message) => new(null, reason, message);

    private static string Describe(string group, string kind) => group.Length == 0 ? kind : group + "/" + kind;
}
