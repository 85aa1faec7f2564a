namespace EnvoyExt.ControlPlane.Tests.Kubernetes.ApiServer;

/// <summary>One served resource: what discovery lists and what the URL path names.</summary>
internal sealed record ResourceType(string Group, string Version, string Plural, string Kind, bool Namespaced, bool HasStatus)
{
    public string ApiVersion => Group.Length == 0 ? Version : Group + "/" + Version;

    public string Singular => Kind.ToLowerInvariant();
}

/// <summary>
/// The built-in kinds a cluster serves before any CRD is applied, plus the Gateway API CRDs (a
/// cluster the controller runs in has them installed). CRDs applied later add their own types.
/// </summary>
internal static class BuiltInTypes
{
    public static IEnumerable<ResourceType> All()
    {
        yield return new("", "v1", "namespaces", "Namespace", false, true);
        yield return new("", "v1", "services", "Service", true, true);
        yield return new("", "v1", "secrets", "Secret", true, false);
        yield return new("", "v1", "configmaps", "ConfigMap", true, false);
        yield return new("", "v1", "serviceaccounts", "ServiceAccount", true, false);
        yield return new("", "v1", "events", "Event", true, false);
        yield return new("apps", "v1", "deployments", "Deployment", true, true);
        yield return new("discovery.k8s.io", "v1", "endpointslices", "EndpointSlice", true, false);
        yield return new("coordination.k8s.io", "v1", "leases", "Lease", true, false);
        yield return new("rbac.authorization.k8s.io", "v1", "clusterroles", "ClusterRole", false, false);
        yield return new("rbac.authorization.k8s.io", "v1", "clusterrolebindings", "ClusterRoleBinding", false, false);
        yield return new("rbac.authorization.k8s.io", "v1", "roles", "Role", true, false);
        yield return new("rbac.authorization.k8s.io", "v1", "rolebindings", "RoleBinding", true, false);
        yield return new("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", false, true);
        const string gw = "gateway.networking.k8s.io";
        foreach (var version in new[] { "v1", "v1beta1" })
        {
            yield return new(gw, version, "gatewayclasses", "GatewayClass", false, true);
            yield return new(gw, version, "gateways", "Gateway", true, true);
            yield return new(gw, version, "httproutes", "HTTPRoute", true, true);
            yield return new(gw, version, "referencegrants", "ReferenceGrant", true, false);
        }

        yield return new(gw, "v1", "grpcroutes", "GRPCRoute", true, true);
        yield return new(gw, "v1alpha2", "tlsroutes", "TLSRoute", true, true);
        yield return new(gw, "v1alpha2", "tcproutes", "TCPRoute", true, true);
        yield return new(gw, "v1", "backendtlspolicies", "BackendTLSPolicy", true, true);
    }
}
