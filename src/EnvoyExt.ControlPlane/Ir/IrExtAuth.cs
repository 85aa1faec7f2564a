using EnvoyExt.Filters.ExtAuth.Config;

namespace EnvoyExt.ControlPlane.Ir;

/// <summary>
/// The ext_auth feature of a route or listener: the filter's document and the cluster of the auth
/// service it calls, which the IR builder adds to the Gateway through <see cref="IIrFeatureDependencies"/>.
/// </summary>
/// <param name="Config">The ext_auth document, checked by the filter's contract.</param>
/// <param name="Cluster">The auth service's cluster (also <c>Config.Cluster</c>).</param>
public sealed record IrExtAuth(ExtAuthConfig Config, string Cluster) : IIrFeatureDependencies
{
    public IReadOnlyList<string> ClusterNames => [Cluster];

    public IReadOnlyList<IrGenericSecret> GenericSecrets => [];
}
