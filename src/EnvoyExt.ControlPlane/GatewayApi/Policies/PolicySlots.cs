namespace EnvoyExt.ControlPlane.GatewayApi.Policies;

/// <summary>
/// A place a policy can attach: a Gateway, one of its listeners, a route or one of its rules. Each slot
/// holds at most one effective policy (the oldest); more specific slots refine less specific ones.
/// A value type, so looking a route's slots up allocates nothing.
/// </summary>
internal readonly record struct PolicySlot(string Kind, string Key, string? Section)
{
    /// <summary>"Gateway/ns/name[/listener]" or "HTTPRoute/ns/name[/rule]", as status messages name it.</summary>
    public override string ToString() => Section is null ? Kind + "/" + Key : Kind + "/" + Key + "/" + Section;
}

internal static class PolicySlots
{
    public static PolicySlot Gateway(string gatewayKey) => new("Gateway", gatewayKey, null);

    public static PolicySlot Listener(string gatewayKey, string listener) => new("Gateway", gatewayKey, listener);

    public static PolicySlot Route(string kind, string routeKey) => new(kind, routeKey, null);

    public static PolicySlot Rule(string kind, string routeKey, string rule) => new(kind, routeKey, rule);
}
