namespace EnvoyExt.ControlPlane.Resources;

/// <summary>The part of Kubernetes metadata the controller reads.</summary>
public sealed record ObjectMeta
{
    public required string Name { get; init; }

    /// <summary>Defaults to "default" when the YAML omits it, as kubectl apply would.</summary>
    public string Namespace { get; init; } = "default";

    /// <summary>Standalone files carry no generation; 1 stands in so status always has an observedGeneration.</summary>
    public long Generation { get; init; } = 1;

    /// <summary>Used to break policy ties (oldest wins). Missing = oldest possible, then namespace/name decides.</summary>
    public DateTimeOffset? CreationTimestamp { get; init; }

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    public string Key => Namespace + "/" + Name;
}

/// <summary>Where a resource was read from, so every message can point at it.</summary>
public sealed record ResourceOrigin(string File, int Line)
{
    public override string ToString() => File + ":" + Line;
}
