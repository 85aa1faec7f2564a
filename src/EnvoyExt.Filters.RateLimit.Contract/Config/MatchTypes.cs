using System.Text.Json.Serialization;

namespace EnvoyExt.Filters.RateLimit.Config;

/// <summary>How a header or query parameter value is matched.</summary>
[JsonConverter(typeof(ValueMatchTypeJsonConverter))]
public enum ValueMatchType
{
    Exact,
    RegularExpression,
    Distinct,
}

/// <summary>How <c>:path</c> is matched.</summary>
[JsonConverter(typeof(PathMatchTypeJsonConverter))]
public enum PathMatchType
{
    Exact,
    PathPrefix,
    RegularExpression,
}

/// <summary>Whether a CIDR shares one bucket (Exact) or gives each client IP its own (Distinct).</summary>
[JsonConverter(typeof(SourceCidrMatchTypeJsonConverter))]
public enum SourceCidrMatchType
{
    Exact,
    Distinct,
}

/// <summary>The window a limit refills in.</summary>
[JsonConverter(typeof(RateLimitUnitJsonConverter))]
public enum RateLimitUnit
{
    Second,
    Minute,
    Hour,
    Day,
    Week,
    Month,
    Year,
}

/// <summary>Which rate-limit headers responses carry.</summary>
[JsonConverter(typeof(RateLimitHeadersFormatJsonConverter))]
public enum RateLimitHeadersFormat
{
    /// <summary>x-ratelimit-limit / -remaining / -reset (draft 03).</summary>
    Draft03,
    /// <summary>RateLimit and RateLimit-Policy (the IETF httpapi draft's structured fields).</summary>
    IETF,
    /// <summary>Both sets.</summary>
    Both,
}

/// <summary>Where a rule's buckets live: in this Envoy process, or shared by every Envoy through Redis.</summary>
[JsonConverter(typeof(RateLimitTypeJsonConverter))]
public enum RateLimitType
{
    Local,
    Global,
}
