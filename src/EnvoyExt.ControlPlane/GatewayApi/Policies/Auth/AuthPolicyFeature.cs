using EnvoyExt.ControlPlane.Ir;

namespace EnvoyExt.ControlPlane.GatewayApi.Policies.Auth;

/// <summary>What an AuthPolicy chain amounts to for one place: the auth filter's feature and/or ext_auth's.</summary>
internal sealed record AuthPolicyFeature(IrAuth? Auth, IrExtAuth? ExtAuth);
