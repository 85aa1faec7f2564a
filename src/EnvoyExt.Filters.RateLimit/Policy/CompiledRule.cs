using System.Runtime.CompilerServices;
using System.Text;
using EnvoyExt.DynamicModules.Sdk;
using EnvoyExt.Filters.RateLimit.Buckets;
using EnvoyExt.Filters.RateLimit.Matching;

namespace EnvoyExt.Filters.RateLimit.Policy;

/// <summary>A rule ready for the hot path: selectors, its shared bucket, and (with Distinct) its per-value table.</summary>
internal sealed class CompiledRule
{
    public CompiledRule(string name, int configIndex, CompiledSelector[] selectors, uint requests, long windowTicks,
        long unitSeconds, uint cost, bool shadowMode, int maxDistinctBuckets, long nowTicks, SharedBuckets? shared = null)
    {
        Name = name;
        NameUtf8 = Encoding.UTF8.GetBytes(name);
        IetfPolicy = new HeaderValue(IetfRateLimitHeaders.PolicyValue(name, requests, unitSeconds));
        IetfName = IetfRateLimitHeaders.ItemName(name);
        ConfigIndex = configIndex;
        Selectors = selectors;
        Requests = requests;
        WindowTicks = windowTicks;
        UnitSeconds = unitSeconds;
        Cost = cost;
        ShadowMode = shadowMode;
        LimitHeaderValue = HeaderValue.FromNumber(requests);
        MatchesEveryRequest = selectors.Length == 0;
        SharedName = shared?.Name;
        SharedBucket = shared?.Bucket ?? new TokenBucket(requests, windowTicks, nowTicks);
        DistinctBuckets = selectors.Any(s => s.HasDistinct)
            ? shared?.Distinct ?? new DistinctBucketTable(maxDistinctBuckets, requests, windowTicks)
            : null;
    }

    public string Name { get; }

    /// <summary>Metric label value, encoded once.</summary>
    public byte[] NameUtf8 { get; }

    /// <summary>This rule's RateLimit-Policy value, encoded and checked once (set on responses without a per-request check).</summary>
    public HeaderValue IetfPolicy { get; }

    /// <summary>This rule's name as a structured-field string (quoted, escaped), encoded once.</summary>
    public byte[] IetfName { get; }

    /// <summary>Position in the config's rules list (rules are evaluated in strictness order instead).</summary>
    public int ConfigIndex { get; }

    public CompiledSelector[] Selectors { get; }

    public uint Requests { get; }

    /// <summary><see cref="Requests"/> as the x-ratelimit-limit value, formatted once.</summary>
    public HeaderValue LimitHeaderValue { get; }

    public long WindowTicks { get; }

    /// <summary>Length of the window in seconds; ranks rules by requests per second without floating point.</summary>
    public long UnitSeconds { get; }

    public uint Cost { get; }

    public bool ShadowMode { get; }

    /// <summary>No selectors: the rule applies to every request and always charges its shared bucket.</summary>
    public bool MatchesEveryRequest { get; }

    public TokenBucket SharedBucket { get; }

    /// <summary>The <c>shared</c> name whose buckets this rule charges (bound to a listener's registry), or null.</summary>
    public string? SharedName { get; }

    /// <summary>Set when the rule's real cost comes from the response (<c>costFrom</c>).</summary>
    public ResponseCost.CompiledCostSource? ResponseCost { get; init; }

    public DistinctBucketTable? DistinctBuckets { get; }

    /// <summary>The owning policy's response settings (set by <see cref="CompiledPolicy"/>), so a stream keeps one reference for its quota.</summary>
    public LimitedResponse Response { get; internal set; } = null!;

    /// <summary>Set for a <c>Global</c> rule: its buckets live in Redis and are spent from leases here.</summary>
    public Global.GlobalRule? Global { get; init; }

    /// <summary>
    /// Whether the rule applies. The first selector (in order) that matches decides the bucket: when it has
    /// Distinct conditions <paramref name="key"/> holds its values, otherwise the key is left empty and the
    /// rule's shared bucket is used.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool AppliesTo<TRequest, THeaders>(in TRequest request, ref THeaders headers, scoped ref DistinctKeyBuilder key)
        where TRequest : IRequestView, allows ref struct
        where THeaders : struct, IHeaderReader, allows ref struct
    {
        key.Reset();
        if (Selectors.Length == 0)
        {
            return true;
        }
        foreach (var selector in Selectors)
        {
            if (selector.Matches(in request, ref headers, ref key))
            {
                return true;
            }
        }
        key.Reset();
        return false;
    }
}
