namespace EnvoyExt.Filters.RateLimit.Matching;

/// <summary>
/// What the matchers read from a request. The SDK adapter implements it as a ref struct over Envoy's header
/// map (so nothing is copied); tests implement it with plain objects. Generic callers use
/// <c>allows ref struct</c> so the adapter is never boxed.
/// </summary>
internal interface IRequestView
{
    /// <summary>The <paramref name="index"/>-th value of a header; <paramref name="lowerCaseName"/> is lower-case.</summary>
    bool TryGetHeader(ReadOnlySpan<byte> lowerCaseName, int index, out ReadOnlySpan<byte> value);

    /// <summary><c>:method</c>, or empty.</summary>
    ReadOnlySpan<byte> Method { get; }

    /// <summary><c>:path</c> including the query string, or empty.</summary>
    ReadOnlySpan<byte> PathAndQuery { get; }

    /// <summary>The downstream address as Envoy prints it ("10.0.0.7:51234", "[::1]:8080"), or empty.</summary>
    ReadOnlySpan<byte> SourceAddress { get; }
}
