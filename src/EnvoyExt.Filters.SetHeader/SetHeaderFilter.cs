using EnvoyExt.DynamicModules.Sdk;

namespace EnvoyExt.Filters.SetHeader;

/// <summary>
/// Per stream: picks the route's rules (or the listener's) once, on the request headers, and sets the
/// request headers there and the response headers later. The pick is stream state, which the SDK
/// clears before the pooled object serves another stream. Nothing is allocated per request: names and
/// values were encoded at config time.
/// </summary>
internal sealed class SetHeaderFilter(SetHeaderFilterConfig config) : HttpFilter<SetHeaderFilter.Picked>
{
    public override HeadersStatus OnRequestHeaders(HttpFilterContext ctx, bool endOfStream)
    {
        var rules = Pick(ctx);
        Apply(ctx.RequestHeaders, rules.Request);
        return HeadersStatus.Continue;
    }

    public override HeadersStatus OnResponseHeaders(HttpFilterContext ctx, bool endOfStream)
    {
        // A local reply before the request headers reached this filter leaves nothing picked yet.
        var rules = State.Rules ?? Pick(ctx);
        Apply(ctx.ResponseHeaders, rules.Response);
        return HeadersStatus.Continue;
    }

    private SetHeaderRules Pick(HttpFilterContext ctx) =>
        State.Rules = ctx.RouteConfig<SetHeaderRules>() ?? config.Rules;

    private static void Apply(HeaderMap headers, HeaderToSet[] toSet)
    {
        foreach (var header in toSet)
        {
            headers.Set(header.Name, header.Value);
        }
    }

    /// <summary>The rules this stream uses.</summary>
    internal struct Picked
    {
        public SetHeaderRules? Rules;
    }
}
