using EnvoyExt.Filters.Auth.Config;

namespace EnvoyExt.ControlPlane.Ir;

/// <summary>
/// The auth feature of a route or listener: the filter's document (secrets named by their SDS names)
/// and what it needs beside it: the secrets' values and the clusters of remote JWKS hosts.
/// </summary>
public sealed record IrAuth(AuthConfig Config, IReadOnlyList<string> ClusterNames, IReadOnlyList<IrGenericSecret> GenericSecrets)
    : IIrFeatureDependencies;
