using System.Text;
using EnvoyExt.Filters.RateLimit.Config;

namespace EnvoyExt.Filters.RateLimit.Policy;

/// <summary>The configured answer to a limited request, encoded to UTF-8 once at config time.</summary>
internal sealed class LimitedResponse
{
    public LimitedResponse(RateLimitResponse? response)
    {
        StatusCode = (uint)(response?.StatusCode ?? 429);
        Body = Encoding.UTF8.GetBytes(response?.Body ?? "");
        Headers = (response?.Headers ?? [])
            .Select(h => (Encoding.UTF8.GetBytes(h.Name!.ToLowerInvariant()), Encoding.UTF8.GetBytes(h.Value!)))
            .ToArray();
        RateLimitHeaders = response?.RateLimitHeaders ?? true;
        var format = response?.RateLimitHeadersFormat ?? RateLimitHeadersFormat.Draft03;
        DraftHeaders = RateLimitHeaders && format != RateLimitHeadersFormat.IETF;
        IetfHeaders = RateLimitHeaders && format != RateLimitHeadersFormat.Draft03;
        RetryAfter = response?.RetryAfter ?? true;
        // Fixed headers + x-envoy-ratelimited + 4 numeric headers, each with the SDK's 4-byte entry overhead.
        // With IETF headers, room for two structured fields carrying an escaped rule name.
        HeaderBytes = Headers.Sum(h => h.Name.Length + h.Value.Length + 4) + 256 +
            (IetfHeaders ? 2 * IetfRateLimitHeaders.MaxValueBytes : 0);
    }

    public uint StatusCode { get; }

    public byte[] Body { get; }

    public (byte[] Name, byte[] Value)[] Headers { get; }

    public bool RateLimitHeaders { get; }

    public bool RetryAfter { get; }

    /// <summary>x-ratelimit-* headers (draft 03).</summary>
    public bool DraftHeaders { get; }

    /// <summary>RateLimit / RateLimit-Policy headers (IETF).</summary>
    public bool IetfHeaders { get; }

    /// <summary>Upper bound of the header storage a limited reply needs.</summary>
    public int HeaderBytes { get; }
}
