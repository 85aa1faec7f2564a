using EnvoyExt.ControlPlane.Ir;

namespace EnvoyExt.ControlPlane.GatewayApi.Policies.Traffic;

/// <summary>
/// One parsed TrafficPolicy block: the sections it sets, and the sections it switches off
/// (<c>{disabled: true}</c>), which the merge removes from what the weaker blocks set.
/// </summary>
/// <param name="Sections">The sections set; a null member is a section the block leaves alone or disables.</param>
/// <param name="Disabled">Field names of the sections switched off (e.g. <c>faultInjection</c>).</param>
internal sealed record TrafficBlock(IrTraffic Sections, IReadOnlySet<string> Disabled);
