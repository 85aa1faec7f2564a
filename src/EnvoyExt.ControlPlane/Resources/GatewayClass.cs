namespace EnvoyExt.ControlPlane.Resources;

public sealed record GatewayClass : KubernetesResource
{
    public override string Kind => "GatewayClass";

    public required string ControllerName { get; init; }

    /// <summary>spec.parametersRef: the class's settings (our <see cref="EnvoyExtParameters"/>); null when absent.</summary>
    public ParametersReference? ParametersRef { get; init; }
}

/// <summary>A GatewayClass parametersRef. A null namespace on a namespaced kind is an error the translator reports.</summary>
public sealed record ParametersReference(string Group, string Kind, string Name, string? Namespace);
