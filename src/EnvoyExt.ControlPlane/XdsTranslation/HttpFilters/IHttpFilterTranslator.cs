using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;
using EnvoyExt.ControlPlane.Ir;
using Google.Protobuf.WellKnownTypes;

namespace EnvoyExt.ControlPlane.XdsTranslation.HttpFilters;

/// <summary>
/// Translates one HTTP filter's IR features into xDS: its entry in a listener's HCM filter chain and
/// its typed_per_filter_config on routes. One implementation per filter, registered once in
/// <see cref="HttpFilterRegistry"/>, which also fixes the filter's position in the chain.
/// </summary>
internal interface IHttpFilterTranslator
{
    /// <summary>The HCM filter name; typed_per_filter_config entries use the same key.</summary>
    string HttpFilterName { get; }

    /// <summary>Whether the listener's chain needs this filter (its own feature or any route's).</summary>
    bool IsNeeded(IrHttpListener listener);

    /// <summary>The listener-level filter; called only when <see cref="IsNeeded"/> is true.</summary>
    HttpFilter ListenerFilter(IrHttpListener listener);

    /// <summary>
    /// Per-route configs for the routes of one listener where the filter is installed; the returned
    /// object may share packed configs between routes of that listener.
    /// </summary>
    IPerRouteFilterConfig PerRoute(IrHttpListener listener);
}

/// <summary>One filter's typed_per_filter_config for each route of one listener.</summary>
internal interface IPerRouteFilterConfig
{
    /// <summary>The route's config, or null to leave the listener-level behaviour.</summary>
    Any? For(IrRoute route);
}
