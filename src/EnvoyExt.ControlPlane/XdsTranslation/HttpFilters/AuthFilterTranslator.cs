using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;
using EnvoyExt.ControlPlane.Ir;
using EnvoyExt.Filters.Auth.Config;
using Google.Protobuf.WellKnownTypes;

namespace EnvoyExt.ControlPlane.XdsTranslation.HttpFilters;

/// <summary>
/// One instance of our module's auth filter on a listener's HCM: the <paramref name="slot"/>-th distinct
/// auth document of the listener (<see cref="IrAuthInstances"/>). Its routes keep the listener-level
/// document; every other route of the listener gets <c>{"disabled": true}</c> for this instance.
/// <see cref="HttpFilterRegistry"/> lists one translator per slot, so a listener's chain holds as
/// many instances as it has distinct documents.
/// </summary>
internal sealed class AuthFilterTranslator(int slot) : IHttpFilterTranslator
{
    /// <summary>The HCM filter name of the first instance; later ones append ".&lt;slot&gt;".</summary>
    public const string FilterName = "envoyext.auth";

    private static readonly string DisabledJson = AuthConfigJson.Serialize(new AuthConfig { Disabled = true });

    public string HttpFilterName { get; } = slot == 0 ? FilterName : $"{FilterName}.{slot}";

    public bool IsNeeded(IrHttpListener listener) => IrAuthInstances.Of(listener).Count > slot;

    public HttpFilter ListenerFilter(IrHttpListener listener) =>
        DynamicModuleFilters.Listener(HttpFilterName, AuthFilterContract.FilterName, IrAuthInstances.Of(listener)[slot]);

    public IPerRouteFilterConfig PerRoute(IrHttpListener listener) => new PerRouteCache(IrAuthInstances.Of(listener)[slot]);

    /// <summary>The disabling document, packed once per listener and shared by every route it applies to.</summary>
    private sealed class PerRouteCache(string ownJson) : IPerRouteFilterConfig
    {
        private Any? _disabled;

        public Any? For(IrRoute route) =>
            route.Filters.Get(IrFeatures.Auth) is { } auth && IrAuthInstances.JsonOf(auth) == ownJson
                ? null
                : _disabled ??= DynamicModuleFilters.PerRoute(AuthFilterContract.FilterName, DisabledJson);
    }
}
