using EnvoyExt.ControlPlane.GatewayApi.Status;
using EnvoyExt.ControlPlane.Ir;

namespace EnvoyExt.ControlPlane.GatewayApi;

/// <summary>What one translation produces: the IR for the xDS side and the status for users.</summary>
public sealed record TranslationResult(IrSnapshot Ir, StatusReport Status);
