namespace EnvoyExt.ControlPlane.Resources;

/// <summary>Allows resources in From namespaces to reference To kinds in the grant's own namespace.</summary>
public sealed record ReferenceGrant : KubernetesResource
{
    public override string Kind => "ReferenceGrant";

    public IReadOnlyList<ReferenceGrantFrom> From { get; init; } = [];

    public IReadOnlyList<ReferenceGrantTo> To { get; init; } = [];
}

public sealed record ReferenceGrantFrom(string Group, string Kind, string Namespace);

/// <summary>Name null = every resource of the kind.</summary>
public sealed record ReferenceGrantTo(string Group, string Kind, string? Name);
