namespace EnvoyExt.ControlPlane.Resources;

public sealed record GatewayClass : KubernetesResource
{
    public override string Kind => "GatewayClass";

    public required string ControllerName { get; init; }
}
