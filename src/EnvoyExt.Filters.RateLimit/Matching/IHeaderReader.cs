namespace EnvoyExt.Filters.RateLimit.Matching;

/// <summary>
/// How conditions fetch header values during one decision: <see cref="HeaderCache"/> when the policy has header
/// names several conditions read, <see cref="DirectHeaderReader"/> otherwise. Matchers take it as a generic
/// struct parameter, so each policy shape gets code specialised for it and a policy without shared names pays
/// nothing for the cache.
/// </summary>
internal interface IHeaderReader
{
    /// <summary>The <paramref name="index"/>-th value of the header; <paramref name="slot"/> is its cache slot or -1.</summary>
    bool TryGet<TRequest>(in TRequest request, int slot, ReadOnlySpan<byte> lowerCaseName, int index, out ReadOnlySpan<byte> value)
        where TRequest : IRequestView, allows ref struct;
}

/// <summary>Every read goes straight to the request.</summary>
internal struct DirectHeaderReader : IHeaderReader
{
    public readonly bool TryGet<TRequest>(in TRequest request, int slot, ReadOnlySpan<byte> lowerCaseName, int index, out ReadOnlySpan<byte> value)
        where TRequest : IRequestView, allows ref struct =>
        request.TryGetHeader(lowerCaseName, index, out value);
}
