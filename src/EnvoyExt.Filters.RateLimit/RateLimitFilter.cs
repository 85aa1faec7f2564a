using System.Buffers;
using System.Buffers.Text;
using EnvoyExt.DynamicModules.Sdk;
using EnvoyExt.Filters.RateLimit.Policy;

namespace EnvoyExt.Filters.RateLimit;

/// <summary>
/// Per-stream adapter: decides on the request headers, answers limited requests locally, and adds the
/// x-ratelimit-* headers to the upstream response. The SDK pools it per worker, so a stream allocates
/// nothing; the quota to report lives in the SDK-cleared stream state.
/// </summary>
internal sealed partial class RateLimitFilter(RateLimitFilterConfig config) : HttpFilter<RateLimitFilter.Quota>
{
    private const int StackHeaderBytes = 1024;

    private static readonly HeaderName LimitHeader = new("x-ratelimit-limit"u8);
    private static readonly HeaderName RemainingHeader = new("x-ratelimit-remaining"u8);
    private static readonly HeaderName ResetHeader = new("x-ratelimit-reset"u8);
    private static readonly HeaderName IetfHeader = new("ratelimit"u8);
    private static readonly HeaderName IetfPolicyHeader = new("ratelimit-policy"u8);

    private readonly RateLimitFilterConfig _config = config;

    /// <summary>
    /// OnStreamComplete and OnDestroy have work only on streams that charge a response cost or wait for
    /// a Global lease (the scheduler of the wait asks for them by itself); other streams skip both.
    /// </summary>
    protected override EndOfStreamHooks EndOfStreamHooks => EndOfStreamHooks.WhenRequested;

    /// <summary>OnStreamComplete ends the wait and charges the response cost; OnDestroy only covers a stream that never completed.</summary>
    protected override bool DestroyAfterStreamComplete => false;

    public override HeadersStatus OnRequestHeaders(HttpFilterContext ctx, bool endOfStream)
    {
        var policy = _config.Policy;
        if (ctx.RouteConfig<RouteRateLimitConfig>() is { } route)
        {
            if (route.PolicyFor(_config.SharedBuckets) is not { } routePolicy)
            {
                return HeadersStatus.Continue;
            }
            policy = routePolicy;
        }
        if (policy.Rules.Length == 0)
        {
            return HeadersStatus.Continue;
        }
        if (policy.ResponseCostRules is not null)
        {
            ctx.RequestEndOfStreamHooks(); // the stream's charges settle in OnStreamComplete
        }
        DecisionProgress progress = default;
        return Continue(ctx, policy, ref progress);
    }

    public override HeadersStatus OnResponseHeaders(HttpFilterContext ctx, bool endOfStream)
    {
        ref readonly var quota = ref State;
        if (quota.PendingCosts != 0)
        {
            ReadResponseCostHeaders(ctx, endOfStream);
        }
        if (quota.Rule is { } rule)
        {
            var response = rule.Response;
            var headers = ctx.ResponseHeaders;
            if (response.DraftHeaders)
            {
                // Pre-checked names and values (the limit formatted at config time, digits for the
                // others): three calls into Envoy, no CR/LF/NUL scans.
                headers.Set(LimitHeader, rule.LimitHeaderValue);
                headers.Set(RemainingHeader, quota.Remaining);
                headers.Set(ResetHeader, (ulong)Math.Max(quota.ResetSeconds, 0));
            }
            if (response.IetfHeaders)
            {
                Span<byte> value = stackalloc byte[IetfRateLimitHeaders.MaxValueBytes];
                headers.Set(IetfPolicyHeader, rule.IetfPolicy);
                headers.Set(IetfHeader, value[..IetfRateLimitHeaders.FormatRateLimit(rule, quota.Remaining, quota.ResetSeconds, value)]);
            }
        }
        return HeadersStatus.Continue;
    }

    private static void SendLimited(HttpFilterContext ctx, CompiledPolicy policy, RateLimitDecision decision)
    {
        var response = policy.Response;
        byte[]? rented = null;
        Span<byte> storage = response.HeaderBytes <= StackHeaderBytes
            ? stackalloc byte[StackHeaderBytes]
            : (rented = ArrayPool<byte>.Shared.Rent(response.HeaderBytes));
        try
        {
            var headers = new HeaderList(storage);
            headers.Add("x-envoy-ratelimited"u8, "true"u8);
            foreach (var (name, value) in response.Headers)
            {
                headers.Add(name, value);
            }
            Span<byte> number = stackalloc byte[20];
            if (response.DraftHeaders)
            {
                headers.Add("x-ratelimit-limit"u8, Format(decision.Limit, number));
                headers.Add("x-ratelimit-remaining"u8, Format(decision.Remaining, number));
                headers.Add("x-ratelimit-reset"u8, Format(decision.ResetSeconds, number));
            }
            if (response.IetfHeaders && decision.Rule is { } rule)
            {
                Span<byte> value = stackalloc byte[IetfRateLimitHeaders.MaxValueBytes];
                headers.Add("ratelimit-policy"u8, rule.IetfPolicy.Bytes);
                headers.Add("ratelimit"u8, value[..IetfRateLimitHeaders.FormatRateLimit(rule, decision.Remaining, decision.ResetSeconds, value)]);
            }
            if (response.RetryAfter)
            {
                headers.Add("retry-after"u8, Format(decision.ResetSeconds, number));
            }
            ctx.SendLocalResponse(response.StatusCode, headers, response.Body, "rate_limited"u8);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    // HeaderList.Add and HeaderMap.Set copy the value, so one scratch buffer serves every header.
    private static ReadOnlySpan<byte> Format(long value, Span<byte> scratch) =>
        Utf8Formatter.TryFormat(value, scratch, out int written) ? scratch[..written] : "0"u8;

    /// <summary>The quota to report on the response, set on the request path; and a waiting request's place.</summary>
    internal struct Quota
    {
        /// <summary>Set while the request waits for a global lease: the decision so far and the wait's ticket.</summary>
        public DecisionProgress Progress;
        public CompiledPolicy? WaitingPolicy;
        public ulong Ticket;

        /// <summary>The rule the quota comes from (its limit, its policy's response settings); null: no quota headers to add.</summary>
        public CompiledRule? Rule;
        public uint Remaining;
        public long ResetSeconds;

        /// <summary>Rules waiting for the response's cost (entries of the filter's ResponseCostTracker), and their policy.</summary>
        public int PendingCosts;
        public CompiledPolicy? CostPolicy;

        /// <summary>Response body frames are being kept to read a cost field.</summary>
        public bool CollectingBody;
    }
}
