namespace EnvoyExt.ControlPlane.GatewayApi.Policies;

/// <summary>
/// What a policy kind may read of the translation it runs in: the resources (for references to
/// Secrets and Services), the cluster registry (a referenced service becomes a cluster of every
/// Gateway whose features name it, see <see cref="Ir.IIrFeatureDependencies"/>) and secret resolution.
/// </summary>
internal sealed class PolicyContext(ResourceIndex index, ClusterRegistry clusters)
{
    public ResourceIndex Index => index;

    public ClusterRegistry Clusters => clusters;

    public GenericSecretResolver Secrets { get; } = new(index);

    /// <summary>The translation's targets (a policy's ancestor Gateways); null outside a translation.</summary>
    public PolicyTargets? Targets { get; init; }

    /// <summary>Our Gateways ("namespace/name") and what their GatewayClass's parametersRef configures.</summary>
    public IReadOnlyDictionary<string, ClassParameters> GatewayParameters { get; init; } = new Dictionary<string, ClassParameters>();
}
