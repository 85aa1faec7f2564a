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

        // Then authorization, so a rate limit can key on what it established (and denied requests cost no tokens).
        new ExtAuthFilterTranslator(),
        new RateLimitFilterTranslator(),
    ];
}
