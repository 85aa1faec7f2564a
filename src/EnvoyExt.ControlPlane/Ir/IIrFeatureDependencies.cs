namespace EnvoyExt.ControlPlane.Ir;

/// <summary>
/// Implemented by a filter feature that needs resources beside the filter config: clusters it calls
/// out to (an auth service, a JWKS host) and generic secrets it subscribes to. The IR builder adds
/// them to the Gateway that serves the feature, so they reach Envoy with it and only with it.
/// </summary>
public interface IIrFeatureDependencies
{
    /// <summary>Clusters registered for the feature (names from the translation's cluster registry).</summary>
    IReadOnlyList<string> ClusterNames { get; }

    /// <summary>Generic secrets the filter config names.</summary>
    IReadOnlyList<IrGenericSecret> GenericSecrets { get; }
}
