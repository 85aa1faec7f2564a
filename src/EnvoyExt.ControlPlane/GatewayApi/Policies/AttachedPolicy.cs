using EnvoyExt.ControlPlane.Resources;

namespace EnvoyExt.ControlPlane.GatewayApi.Policies;

/// <summary>A valid policy attached to one slot through one of its targetRefs.</summary>
internal sealed record AttachedPolicy<TPolicy>(TPolicy Policy, int TargetIndex, string Slot)
    where TPolicy : PolicyResource
{
    public string Key => Policy.Metadata.Key;

    /// <summary>Oldest first; then namespace/name, as GEP-713 breaks ties.</summary>
    public static int CompareAge(AttachedPolicy<TPolicy> a, AttachedPolicy<TPolicy> b)
    {
        var c = (a.Policy.Metadata.CreationTimestamp ?? DateTimeOffset.MinValue)
            .CompareTo(b.Policy.Metadata.CreationTimestamp ?? DateTimeOffset.MinValue);
        return c != 0 ? c : string.CompareOrdinal(a.Key, b.Key);
    }
}
