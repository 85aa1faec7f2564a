namespace EnvoyExt.ControlPlane.GatewayApi;

/// <summary>
/// GatewayClass status.supportedFeatures: conformance infers which tests to run from this list, so
/// it names only what the translator implements. HTTPS listeners (TLS termination) are part of the
/// core Gateway and HTTPRoute features. TLSRoute covers Passthrough and Terminate TLS listeners, also
/// mixed on one port. What is left out, and why, is listed in the README ("Left out, and why").
/// </summary>
public static class SupportedFeatures
{
    public static IReadOnlyList<string> All { get; } =
    [
        "BackendTLSPolicy",
        "BackendTLSPolicySANValidation",
        "GRPCRoute",
        "GRPCRouteNamedRouteRule",
        "Gateway",
        "GatewayFrontendClientCertificateValidation",
        "GatewayFrontendClientCertificateValidationInsecureFallback",
        "GatewayHTTPSListenerDetectMisdirectedRequests",
        "GatewayPort8080",
        "HTTPRoute",
        "HTTPRoute303RedirectStatusCode",
        "HTTPRoute307RedirectStatusCode",
        "HTTPRoute308RedirectStatusCode",
        "HTTPRouteBackendProtocolH2C",
        "HTTPRouteBackendRequestHeaderModification",
        "HTTPRouteBackendTimeout",
        "HTTPRouteCORS",
        "HTTPRouteExternalAuth",
        "HTTPRouteHostRewrite",
        "HTTPRouteMethodMatching",
        "HTTPRouteNamedRouteRule",
        "HTTPRouteParentRefPort",
        "HTTPRoutePathRedirect",
        "HTTPRoutePathRewrite",
        "HTTPRoutePortRedirect",
        "HTTPRouteQueryParamMatching",
        "HTTPRouteRequestMirror",
        "HTTPRouteRequestMultipleMirrors",
        "HTTPRouteRequestPercentageMirror",
        "HTTPRouteRequestTimeout",
        "HTTPRouteResponseHeaderModification",
        "HTTPRouteSchemeRedirect",
        "ReferenceGrant",
        "TCPRoute",
        "TLSRoute",
        "TLSRouteModeMixed",
        "TLSRouteModeTerminate",
    ];
}
