using EnvoyExt.ControlPlane.Ir;

namespace EnvoyExt.ControlPlane.XdsTranslation.HttpFilters;

/// <summary>
/// The HTTP filters the controller can place in an HCM, in chain order (the router is always last
/// and is added by <see cref="ListenerTranslator"/>). Adding a filter is one translator class and
/// one line here; its position in this list is its position in every chain.
/// </summary>
internal static class HttpFilterRegistry
{
    public static IReadOnlyList<IHttpFilterTranslator> Ordered { get; } =
    [
        // CORS first: a preflight is answered before any check, as browsers send it without credentials.
        new CorsFilterTranslator(),

        // Faults next, as in Envoy's own chains: an injected failure stands for the whole path behind it.
        new FaultFilterTranslator(),

        // Then authentication, so the auth service of ext_auth can see the authenticated identity; both
        // before the rate limit, so a limit can key on what they established (and denied requests cost no tokens).
        .. Enumerable.Range(0, IrAuthInstances.Max).Select(slot => new AuthFilterTranslator(slot)),
        new ExtAuthFilterTranslator(),
        new RateLimitFilterTranslator(),

        // Only requests that will go upstream take a concurrency slot or bandwidth.
        new ConcurrencyLimitFilterTranslator(),
        new BandwidthLimitFilterTranslator(),
    ];
}
