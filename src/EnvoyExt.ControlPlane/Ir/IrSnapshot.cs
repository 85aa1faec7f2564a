namespace EnvoyExt.ControlPlane.Ir;

/// <summary>
/// Everything the xDS translator needs, with no Kubernetes types left in it. One entry per Gateway,
/// because one Gateway is one Envoy fleet (one xDS node group).
/// </summary>
/// <param name="Gateways">Keyed by "&lt;namespace&gt;/&lt;name&gt;", sorted ordinally so output is deterministic.</param>
public sealed record IrSnapshot(IReadOnlyDictionary<string, IrGateway> Gateways)
{
    public static IrSnapshot Empty { get; } = new(new SortedDictionary<string, IrGateway>(StringComparer.Ordinal));
}
