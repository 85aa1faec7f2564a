using EnvoyExt.ControlPlane.Resources;

namespace EnvoyExt.ControlPlane.Providers;

/// <summary>A consistent resource set from a provider; Version increases with every emitted change.</summary>
public sealed record ResourceSnapshot(long Version, ResourceSet Resources);
