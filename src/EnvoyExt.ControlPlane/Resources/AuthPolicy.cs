using System.Text.Json.Nodes;

namespace EnvoyExt.ControlPlane.Resources;

/// <summary>
/// Our AuthPolicy CRD (gateway.envoyext.io/v1alpha1). Its <c>defaults</c> and <c>overrides</c> blocks
/// (sections <c>extAuth</c>, <c>authentication</c>, <c>authorization</c>) are kept as JSON and read by
/// the policy kind, which checks them with the auth and ext_auth filters' own validators.
/// </summary>
public sealed record AuthPolicy : PolicyResource<JsonObject>
{
    public override string Kind => "AuthPolicy";
}
