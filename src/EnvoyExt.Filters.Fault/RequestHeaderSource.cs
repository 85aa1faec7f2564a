using EnvoyExt.DynamicModules.Sdk;

namespace EnvoyExt.Filters.Fault;

/// <summary>Where a rule reads the request's headers from: Envoy by name, or one snapshot of all of them.</summary>
internal interface IRequestHeaderSource
{
    bool TryGet(ReadOnlySpan<byte> lowerCaseName, out ReadOnlySpan<byte> value);
}

/// <summary>One call into Envoy per name: cheapest when a rule reads one or two headers.</summary>
internal readonly ref struct HeadersByName(HeaderMap headers) : IRequestHeaderSource
{
    private readonly HeaderMap _headers = headers;

    public bool TryGet(ReadOnlySpan<byte> lowerCaseName, out ReadOnlySpan<byte> value) => _headers.TryGet(lowerCaseName, out value);
}

/// <summary>Every header fetched in one call, names looked up here: cheapest when a rule reads several.</summary>
internal readonly ref struct HeadersSnapshot(HeaderSnapshot snapshot) : IRequestHeaderSource
{
    private readonly HeaderSnapshot _snapshot = snapshot;

    public bool TryGet(ReadOnlySpan<byte> lowerCaseName, out ReadOnlySpan<byte> value) => _snapshot.TryGet(lowerCaseName, out value);
}
