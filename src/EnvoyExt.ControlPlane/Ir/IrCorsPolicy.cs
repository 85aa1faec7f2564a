namespace EnvoyExt.ControlPlane.Ir;

/// <summary>
/// An HTTPRoute rule's CORS filter, validated: Envoy's CORS filter answers the preflight and marks
/// the responses of the rule's routes with it.
/// </summary>
/// <param name="AllowOrigins">Exact origins, origins whose host holds <c>*</c> wildcards, or <c>*</c> alone (every origin).</param>
/// <param name="AllowMethods">Sent as access-control-allow-methods; empty leaves the header out.</param>
/// <param name="AllowHeaders">Sent as access-control-allow-headers; empty leaves the header out.</param>
/// <param name="ExposeHeaders">Sent as access-control-expose-headers; empty leaves the header out.</param>
/// <param name="MaxAgeSeconds">Sent as access-control-max-age.</param>
public sealed record IrCorsPolicy(
    IReadOnlyList<string> AllowOrigins,
    bool AllowCredentials,
    IReadOnlyList<string> AllowMethods,
    IReadOnlyList<string> AllowHeaders,
    IReadOnlyList<string> ExposeHeaders,
    int MaxAgeSeconds);
