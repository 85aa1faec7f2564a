using EnvoyExt.Filters.BandwidthLimit.Config;
using EnvoyExt.Filters.ConcurrencyLimit.Config;
using EnvoyExt.Filters.Fault.Config;

namespace EnvoyExt.ControlPlane.Ir;

/// <summary>
/// The effective TrafficPolicy of a route (or listener): three of our filters' documents, and what
/// Envoy itself does (the route's timeout and retries, the backends' circuit breakers). A null
/// member leaves that part alone.
/// </summary>
/// <param name="Fault">The fault filter's per-route document.</param>
/// <param name="BandwidthLimit">The bandwidth_limit filter's per-route document (a bucket of the route's own).</param>
/// <param name="ConcurrencyLimit">The concurrency_limit filter's per-route document.</param>
/// <param name="RequestTimeoutMs">Envoy's route timeout; 0 switches it off. The route's own HTTPRoute timeout wins.</param>
/// <param name="Retry">Envoy's retry policy; each field the route's own HTTPRoute retry or timeout sets wins.</param>
/// <param name="CircuitBreakers">Thresholds on every cluster the route forwards to.</param>
public sealed record IrTraffic(
    FaultConfig? Fault,
    BandwidthLimitConfig? BandwidthLimit,
    ConcurrencyLimitConfig? ConcurrencyLimit,
    long? RequestTimeoutMs,
    IrRetry? Retry,
    IrCircuitBreakers? CircuitBreakers);
