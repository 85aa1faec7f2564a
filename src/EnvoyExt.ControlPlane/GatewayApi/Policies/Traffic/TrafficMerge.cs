using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using EnvoyExt.ControlPlane.Ir;
using EnvoyExt.Filters.BandwidthLimit.Config;
using EnvoyExt.Filters.ConcurrencyLimit.Config;
using EnvoyExt.Filters.Fault.Config;

namespace EnvoyExt.ControlPlane.GatewayApi.Policies.Traffic;

/// <summary>
/// Section-by-section merge of TrafficPolicy blocks: a later (stronger) block's section replaces the
/// same section of the earlier ones as a whole, sections it does not set are kept. So a route policy
/// can add a retry to a Gateway's fault injection, and a Gateway override of <c>circuitBreaker</c>
/// pins that section for every route below it. A section a block disables (<c>{disabled: true}</c>) is
/// removed like a replacement: an exemption in defaults, a kill switch in overrides, and a later block
/// that sets the section brings it back. Every section remembers the policy that set it, for
/// Overridden status and for the filters' metric label (<c>name</c>) when the document has none.
/// </summary>
internal sealed class TrafficMerge(Func<JsonObject, TrafficBlock> parsed) : IPolicyMerge<JsonObject, IrTraffic>
{
    /// <summary>Named copies of the filters' documents, one per parsed document (the label only depends on its policy).</summary>
    private static readonly ConditionalWeakTable<object, object> Named = [];

    private readonly Dictionary<string, string> _setBy = new(StringComparer.Ordinal);
    private readonly List<(string Overridden, string By)> _replacements = [];
    private FaultConfig? _fault;
    private BandwidthLimitConfig? _bandwidth;
    private ConcurrencyLimitConfig? _concurrency;
    private long? _requestTimeout;
    private IrRetry? _retry;
    private IrCircuitBreakers? _breakers;

    public IReadOnlyList<(string Overridden, string By)> Replacements => _replacements;

    public void Apply(JsonObject block, string policyKey)
    {
        var (traffic, disabled) = parsed(block);
        foreach (var section in disabled)
        {
            Track(section, policyKey);
            Disable(section);
        }

        if (traffic.Fault is { } fault)
        {
            Track(TrafficBlockParser.FaultInjectionField, policyKey);
            _fault = fault.Name is null ? NamedCopy(fault, f => Copy(f, Label(policyKey))) : fault;
        }

        if (traffic.BandwidthLimit is { } bandwidth)
        {
            Track(TrafficBlockParser.BandwidthLimitField, policyKey);
            _bandwidth = bandwidth.Name is null ? NamedCopy(bandwidth, b => Copy(b, Label(policyKey))) : bandwidth;
        }

        if (traffic.ConcurrencyLimit is { } concurrency)
        {
            Track(TrafficBlockParser.ConcurrencyLimitField, policyKey);
            _concurrency = concurrency.Name is null ? NamedCopy(concurrency, c => Copy(c, Label(policyKey))) : concurrency;
        }

        if (traffic.RequestTimeoutMs is { } timeout)
        {
            Track(TrafficBlockParser.TimeoutsField, policyKey);
            _requestTimeout = timeout;
        }

        if (traffic.Retry is { } retry)
        {
            Track(TrafficBlockParser.RetryField, policyKey);
            _retry = retry;
        }

        if (traffic.CircuitBreakers is { } breakers)
        {
            Track(TrafficBlockParser.CircuitBreakerField, policyKey);
            _breakers = breakers;
        }
    }

    /// <summary>The merged sections, or null when no block set any. Sections are valid alone and independent, so a merge is always servable.</summary>
    public (IrTraffic? Feature, string? Error) Finish()
    {
        var traffic = new IrTraffic(_fault, _bandwidth, _concurrency, _requestTimeout, _retry, _breakers);
        var empty = traffic is { Fault: null, BandwidthLimit: null, ConcurrencyLimit: null, RequestTimeoutMs: null, Retry: null, CircuitBreakers: null };
        return empty ? (null, null) : (traffic, null);
    }

    private void Disable(string section)
    {
        switch (section)
        {
            case TrafficBlockParser.FaultInjectionField: _fault = null; break;
            case TrafficBlockParser.BandwidthLimitField: _bandwidth = null; break;
            case TrafficBlockParser.ConcurrencyLimitField: _concurrency = null; break;
            case TrafficBlockParser.TimeoutsField: _requestTimeout = null; break;
            case TrafficBlockParser.RetryField: _retry = null; break;
            case TrafficBlockParser.CircuitBreakerField: _breakers = null; break;
            default: throw new InvalidOperationException($"unknown TrafficPolicy section {section}");
        }
    }

    private void Track(string section, string policy)
    {
        if (_setBy.TryGetValue(section, out var owner) && owner != policy && !_replacements.Contains((owner, policy)))
        {
            _replacements.Add((owner, policy));
        }

        _setBy[section] = policy;
    }

    /// <summary>
    /// The document with <c>name</c> filled in, shared by every route: a block belongs to one policy, so
    /// the copy of a parsed document is always named the same.
    /// </summary>
    private static T NamedCopy<T>(T document, Func<T, T> copy)
        where T : class
    {
        if (Named.TryGetValue(document, out var named) && named is T cached)
        {
            return cached;
        }

        var fresh = copy(document);
        Named.AddOrUpdate(document, fresh);
        return fresh;
    }

    private static FaultConfig Copy(FaultConfig f, string name) => new()
    {
        Name = name,
        Abort = f.Abort,
        Delay = f.Delay,
        HeaderControl = f.HeaderControl,
        MaxActiveFaults = f.MaxActiveFaults,
        Headers = f.Headers,
        Seed = f.Seed,
    };

    private static BandwidthLimitConfig Copy(BandwidthLimitConfig b, string name) => new()
    {
        Name = name,
        LimitKiBps = b.LimitKiBps,
        Direction = b.Direction,
        FillIntervalMs = b.FillIntervalMs,
        ResponseTrailers = b.ResponseTrailers,
    };

    private static ConcurrencyLimitConfig Copy(ConcurrencyLimitConfig c, string name) => new()
    {
        Name = name,
        MaxConcurrentRequests = c.MaxConcurrentRequests,
        Queue = c.Queue,
        Adaptive = c.Adaptive,
    };

    /// <summary>"namespace/name", shortened with a hash suffix to the filters' 128-character label limit.</summary>
    internal static string Label(string policyKey)
    {
        const int maxLength = FaultFilterContract.MaxNameLength;
        if (policyKey.Length <= maxLength)
        {
            return policyKey;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(policyKey)), 0, 4);
        return policyKey[..(maxLength - hash.Length - 1)] + "~" + hash;
    }
}
