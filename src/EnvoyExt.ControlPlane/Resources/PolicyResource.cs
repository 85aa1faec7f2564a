namespace EnvoyExt.ControlPlane.Resources;

/// <summary>
/// A GEP-713 direct policy: a resource that attaches to Gateways, listeners, routes or route rules
/// through <c>spec.targetRefs</c>. Every policy kind derives from <see cref="PolicyResource{TSpec}"/>.
/// </summary>
public abstract record PolicyResource : KubernetesResource
{
    public IReadOnlyList<PolicyTargetReference> TargetRefs { get; init; } = [];
}

/// <summary>A policy whose <c>defaults</c> and <c>overrides</c> blocks are of type <typeparamref name="TSpec"/>.</summary>
public abstract record PolicyResource<TSpec> : PolicyResource
    where TSpec : class
{
    /// <summary>spec.defaults: refined by more specific policies.</summary>
    public TSpec? Defaults { get; init; }

    /// <summary>spec.overrides: the least specific override wins over everything below it.</summary>
    public TSpec? Overrides { get; init; }
}

/// <summary>spec.targetRefs[]: an object in the policy's namespace, optionally one section of it.</summary>
public sealed record PolicyTargetReference(string Group, string Kind, string Name, string? SectionName);
