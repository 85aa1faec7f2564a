using System.Runtime.CompilerServices;
using EnvoyExt.DynamicModules.Sdk;
using EnvoyExt.Filters.RateLimit.Matching;

namespace EnvoyExt.Filters.RateLimit;

/// <summary>
/// The request as the matchers see it, read straight from Envoy's header map (no copies). Method, path and
/// source address are fetched once, and only when some selector of the policy reads them.
/// </summary>
internal readonly ref struct EnvoyRequestView : IRequestView
{
    private readonly HeaderMap _headers;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public EnvoyRequestView(HttpFilterContext ctx, RequestAttributes reads)
    {
        var headers = ctx.RequestHeaders;
        _headers = headers;
        ReadOnlySpan<byte> value;
        Method = (reads & RequestAttributes.Method) != 0 && headers.TryGet(":method"u8, out value) ? value : default;
        PathAndQuery = (reads & RequestAttributes.Path) != 0 && headers.TryGet(":path"u8, out value) ? value : default;
        SourceAddress = (reads & RequestAttributes.SourceAddress) != 0 && ctx.TryGetAttributeString(AttributeId.SourceAddress, out value)
            ? value
            : default;
    }

    public ReadOnlySpan<byte> Method { get; }

    public ReadOnlySpan<byte> PathAndQuery { get; }

    public ReadOnlySpan<byte> SourceAddress { get; }

    public bool TryGetHeader(ReadOnlySpan<byte> lowerCaseName, int index, out ReadOnlySpan<byte> value) =>
        _headers.TryGet(lowerCaseName, index, out value);
}
