namespace EnvoyExt.ControlPlane.Ir;

public enum HeaderMutationKind
{
    /// <summary>Overwrite (or add when absent).</summary>
    Set,

    /// <summary>Append a value, keeping existing ones.</summary>
    Add,

    /// <summary>Remove the header; Value is null.</summary>
    Remove,
}

/// <summary>One step of a RequestHeaderModifier / ResponseHeaderModifier filter.</summary>
public sealed record IrHeaderMutation(HeaderMutationKind Kind, string Name, string? Value);
