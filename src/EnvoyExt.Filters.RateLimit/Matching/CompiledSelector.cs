using System.Runtime.CompilerServices;
namespace EnvoyExt.Filters.RateLimit.Matching;

/// <summary>
/// One client selector, compiled: every condition must hold (methods among themselves are ORed). Cheap
/// byte comparisons run before regexes and address parsing so most non-matching requests exit early.
/// </summary>
internal sealed class CompiledSelector(
    int index,
    MethodCondition[] methods,
    PathCondition? path,
    HeaderCondition[] headers,
    SourceCidrCondition? sourceCidr,
    QueryParamCondition[] queryParams,
    bool hasDistinct)
{
    /// <summary>The header conditions (the policy compiler assigns their cache slots).</summary>
    public HeaderCondition[] Headers { get; } = headers;

    /// <summary>True when a match yields a per-value bucket key rather than the rule's shared bucket.</summary>
    public bool HasDistinct { get; } = hasDistinct;

    /// <summary>Which request attributes evaluation reads, so the adapter fetches only those from Envoy.</summary>
    public RequestAttributes Reads { get; } =
        (methods.Length > 0 ? RequestAttributes.Method : 0) |
        (path is not null || queryParams.Length > 0 ? RequestAttributes.Path : 0) |
        (sourceCidr is not null ? RequestAttributes.SourceAddress : 0);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Matches<TRequest, THeaders>(in TRequest request, ref THeaders headerReader, scoped ref DistinctKeyBuilder key)
        where TRequest : IRequestView, allows ref struct
        where THeaders : struct, IHeaderReader, allows ref struct
    {
        key.Reset();
        if (HasDistinct)
        {
            // The selector index keeps values from different selectors of one rule in separate buckets.
            key.AppendByte((byte)index);
        }
        if (methods.Length > 0 && !AnyMethodMatches(request.Method))
        {
            return false;
        }
        if (path is not null && !path.Evaluate(request.PathAndQuery))
        {
            return false;
        }
        foreach (var header in Headers)
        {
            if (!header.Evaluate(in request, ref headerReader, ref key))
            {
                return false;
            }
        }
        if (sourceCidr is not null && !sourceCidr.Evaluate(request.SourceAddress, ref key))
        {
            return false;
        }
        foreach (var query in queryParams)
        {
            if (!query.Evaluate(request.PathAndQuery, ref key))
            {
                return false;
            }
        }
        return true;
    }

    private bool AnyMethodMatches(ReadOnlySpan<byte> method)
    {
        foreach (var condition in methods)
        {
            if (condition.Evaluate(method))
            {
                return true;
            }
        }
        return false;
    }
}
