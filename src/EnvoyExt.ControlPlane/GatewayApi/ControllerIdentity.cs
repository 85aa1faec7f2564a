namespace EnvoyExt.ControlPlane.GatewayApi;

public static class ControllerIdentity
{
    /// <summary>GatewayClasses naming this controller are ours; everything else is ignored.</summary>
    public const string ControllerName = "gateway.envoyext.io/controller";
}
