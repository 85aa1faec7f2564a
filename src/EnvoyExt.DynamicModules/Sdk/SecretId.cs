namespace EnvoyExt.DynamicModules.Sdk;

/// <summary>
/// A generic secret a config subscribed to (SDS, Envoy 1.40). Streams read its current value by this
/// id, so a rotated secret reaches the filter without a config reload.
/// </summary>
/// <param name="Value">Envoy's id; 0 never names a subscription.</param>
/// <param name="Name">The secret's name, for messages (never its value).</param>
public readonly record struct SecretId(nuint Value, string Name)
{
    /// <summary>True when this id came from a successful subscription.</summary>
    public bool IsValid => Value != 0;
}
