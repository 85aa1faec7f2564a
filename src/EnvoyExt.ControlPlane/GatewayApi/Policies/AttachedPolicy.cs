using EnvoyExt.ControlPlane.Resources;

namespace EnvoyExt.ControlPlane.GatewayApi.Policies;

/// <summary>
/// A valid policy attached to one slot through one of its targetRefs. Compared by reference: the
/// engine caches merges by the chain of attachments a route collects.
/// </summary>
internal sealed class AttachedPolicy<TPolicy>(TPolicy policy, int targetIndex, PolicySlot slot)
    where TPolicy : PolicyResource
{
    public TPolicy Policy { get; } = policy;

    public int TargetIndex { get; } = targetIndex;

    public PolicySlot Slot { get; } = slot;

    public string Key => Policy.Metadata.Key;

    /// <summary>Oldest first; then namespace/name, as GEP-713 breaks ties.</summary>
    public static int CompareAge(AttachedPolicy<TPolicy> a, AttachedPolicy<TPolicy> b) => PolicyAge.Compare(a.Policy, b.Policy);
}
