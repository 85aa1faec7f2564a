using System.Diagnostics;
using System.Text;
using EnvoyExt.DynamicModules.Sdk;
using EnvoyExt.Filters.BandwidthLimit.Config;

namespace EnvoyExt.Filters.BandwidthLimit;

/// <summary>
/// The four delay trailers of a limit with <c>responseTrailers</c>, their names checked once at config time.
/// Written on responses that carry trailers: the 1.40 ABI can change a response's trailers but cannot
/// add trailers to a response that ends without them.
/// </summary>
internal sealed class DelayTrailers(string? prefix)
{
    private readonly HeaderName _requestDelay = Name(prefix, BandwidthLimitFilterContract.RequestDelayTrailer);
    private readonly HeaderName _responseDelay = Name(prefix, BandwidthLimitFilterContract.ResponseDelayTrailer);
    private readonly HeaderName _requestFilterDelay = Name(prefix, BandwidthLimitFilterContract.RequestFilterDelayTrailer);
    private readonly HeaderName _responseFilterDelay = Name(prefix, BandwidthLimitFilterContract.ResponseFilterDelayTrailer);

    /// <summary>
    /// Sets the trailers from both directions' timings, unless neither direction took any time in the filter
    /// (as Envoy's filter, which adds none when both delays are 0).
    /// </summary>
    public void Write(HeaderMap trailers, in BandwidthLimitFilter.Direction request, in BandwidthLimitFilter.Direction response)
    {
        ulong requestDelay = Millis(request.LastReleaseAt - request.FirstFrameAt);
        ulong responseDelay = Millis(response.LastReleaseAt - response.FirstFrameAt);
        if (requestDelay == 0 && responseDelay == 0)
        {
            return;
        }
        trailers.Set(_requestDelay, requestDelay);
        trailers.Set(_responseDelay, responseDelay);
        trailers.Set(_requestFilterDelay, Millis(request.HeldTicks));
        trailers.Set(_responseFilterDelay, Millis(response.HeldTicks));
    }

    private static ulong Millis(long ticks) => ticks <= 0 ? 0 : (ulong)(ticks * 1000 / Stopwatch.Frequency);

    private static HeaderName Name(string? prefix, string name) =>
        new(Encoding.ASCII.GetBytes(prefix is null ? name : $"{prefix}-{name}"));
}
