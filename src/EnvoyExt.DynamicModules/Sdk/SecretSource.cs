namespace EnvoyExt.DynamicModules.Sdk;

/// <summary>Where Envoy finds a generic secret a config subscribes to.</summary>
public enum SecretSource
{
    /// <summary>A secret in Envoy's bootstrap (<c>static_resources.secrets</c>): an empty SDS config.</summary>
    Static = 0,

    /// <summary>A secret the control plane serves over the node's ADS stream (what the EnvoyExt controller writes).</summary>
    Ads = 1,
}
