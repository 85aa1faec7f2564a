namespace EnvoyExt.Filters.SetHeader;

/// <summary>One header to set, as the UTF-8 bytes Envoy receives (encoded once, at config time).</summary>
internal sealed record HeaderToSet(byte[] Name, byte[] Value);

/// <summary>
/// A parsed set_header document: what to set on the request and on the response. Immutable, so one
/// instance serves every worker; used both as the listener-level config and as a per-route override.
/// </summary>
internal sealed class SetHeaderRules(HeaderToSet[] request, HeaderToSet[] response)
{
    public HeaderToSet[] Request { get; } = request;

    public HeaderToSet[] Response { get; } = response;
}
