namespace EnvoyExt.ControlPlane.GatewayApi.Policies;

/// <summary>
/// A kind's merge of policy blocks for one place. The engine applies the chain's blocks in
/// strength order (defaults from the gateway down to the rule, then overrides from the rule up to the
/// gateway: each later block beats the earlier ones), then calls <see cref="Finish"/> once.
/// </summary>
internal interface IPolicyMerge<in TSpec, TFeature>
    where TSpec : class
    where TFeature : class
{
    /// <summary>Applies one block of the policy <paramref name="policyKey"/> ("namespace/name").</summary>
    void Apply(TSpec block, string policyKey);

    /// <summary>(policy whose value was replaced, policy that replaced it), in the order seen.</summary>
    IReadOnlyList<(string Overridden, string By)> Replacements { get; }

    /// <summary>
    /// The merged feature (null: the filter has nothing to do here, e.g. switched off), or an error
    /// when the blocks are valid alone but the merged result cannot be served (e.g. too many rules).
    /// </summary>
    (TFeature? Feature, string? Error) Finish();
}
