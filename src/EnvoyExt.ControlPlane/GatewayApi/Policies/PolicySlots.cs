namespace EnvoyExt.ControlPlane.GatewayApi.Policies;

/// <summary>
/// Names of the places a policy can attach. Each slot holds at most one effective policy (the
/// oldest); more specific slots refine less specific ones.
/// </summary>
internal static class PolicySlots
{
    public static string Gateway(string gatewayKey) => "Gateway/" + gatewayKey;

    public static string Listener(string gatewayKey, string listener) => "Gateway/" + gatewayKey + "/" + listener;

    public static string Route(string kind, string routeKey) => kind + "/" + routeKey;

    public static string Rule(string kind, string routeKey, string rule) => kind + "/" + routeKey + "/" + rule;
}
