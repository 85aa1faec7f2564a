namespace EnvoyExt.ControlPlane.Resources;

/// <summary>Common shape of every resource the controller reads.</summary>
public abstract record KubernetesResource
{
    public required string ApiVersion { get; init; }

    public required ObjectMeta Metadata { get; init; }

    public required ResourceOrigin Origin { get; init; }

    public abstract string Kind { get; }

    /// <summary>Identifies a resource across files: "Kind/namespace/name".</summary>
    public string Id => Kind + "/" + Metadata.Key;
}
