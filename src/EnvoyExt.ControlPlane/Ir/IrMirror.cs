namespace EnvoyExt.ControlPlane.Ir;

/// <summary>
/// RequestMirror: copy a fraction of requests to a cluster. Numerator/Denominator is the
/// fraction mirrored (1/1 = every request); Gateway API's percent P becomes P/100.
/// </summary>
public sealed record IrMirror(string ClusterName, int Numerator, int Denominator);
