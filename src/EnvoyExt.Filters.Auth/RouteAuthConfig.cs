namespace EnvoyExt.Filters.Auth;

/// <summary>The per-route document: only <c>{"disabled": true}</c> exists, so its presence means "off".</summary>
internal sealed class RouteAuthConfig
{
    public static RouteAuthConfig Disabled { get; } = new();
}
