using Envoy.Config.Route.V3;
using EnvoyExt.ControlPlane.Ir;
using Duration = Google.Protobuf.WellKnownTypes.Duration;

namespace EnvoyExt.ControlPlane.XdsTranslation;

/// <summary>
/// A forwarding route's timeout and retry policy, from the route itself (HTTPRoute <c>timeouts</c> and
/// <c>retry</c>) and its TrafficPolicy. The route's own settings win: <c>timeouts.request</c> over the
/// policy's <c>timeouts.request</c>, <c>timeouts.backendRequest</c> over any per-try timeout, and an
/// HTTPRoute <c>retry</c> replaces the policy's <c>retry</c> as a whole.
/// </summary>
internal static class RouteRetryTranslator
{
    public static void Apply(RouteAction action, IrForward forward, IrTraffic? traffic)
    {
        if ((forward.Timeouts?.RequestMs ?? traffic?.RequestTimeoutMs) is { } request)
        {
            // 0 switches Envoy's default 15 s route timeout off.
            action.Timeout = Ms(request);
        }

        var retry = forward.Retry ?? traffic?.Retry;
        var perTry = forward.Timeouts?.BackendRequestMs ?? retry?.PerTryTimeoutMs;
        if (retry is null && perTry is null)
        {
            return;
        }

        // A per-try timeout alone still bounds the first attempt (there are no retry conditions).
        var policy = new RetryPolicy();
        if (perTry is { } tryMs)
        {
            policy.PerTryTimeout = Ms(tryMs);
        }

        if (retry is not null)
        {
            policy.RetryOn = string.Join(',', retry.RetryOn);
            if (retry.NumRetries is { } n)
            {
                policy.NumRetries = (uint)n;
            }

            policy.RetriableStatusCodes.Add(retry.RetriableStatusCodes.Select(c => (uint)c));
            if (retry.BackoffBaseMs is { } baseMs)
            {
                policy.RetryBackOff = new RetryPolicy.Types.RetryBackOff { BaseInterval = Ms(baseMs) };
                if (retry.BackoffMaxMs is { } maxMs)
                {
                    policy.RetryBackOff.MaxInterval = Ms(maxMs);
                }
            }
        }

        action.RetryPolicy = policy;
    }

    private static Duration Ms(long ms) => Duration.FromTimeSpan(TimeSpan.FromMilliseconds(ms));
}
