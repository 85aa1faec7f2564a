using EnvoyExt.ControlPlane.Resources;

namespace EnvoyExt.ControlPlane.GatewayApi.Policies;

/// <summary>The engine's precedence between policies that compete for one thing: oldest first, then namespace/name (GEP-713).</summary>
internal static class PolicyAge
{
    public static int Compare(PolicyResource a, PolicyResource b)
    {
        var c = (a.Metadata.CreationTimestamp ?? DateTimeOffset.MinValue)
            .CompareTo(b.Metadata.CreationTimestamp ?? DateTimeOffset.MinValue);
        return c != 0 ? c : string.CompareOrdinal(a.Metadata.Key, b.Metadata.Key);
    }
}
