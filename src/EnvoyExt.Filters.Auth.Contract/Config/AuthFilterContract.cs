namespace EnvoyExt.Filters.Auth.Config;

/// <summary>Names and bounds shared by the filter and the controller that configures it.</summary>
public static class AuthFilterContract
{
    /// <summary>The <c>filter_name</c> the module dispatches on.</summary>
    public const string FilterName = "auth";

    /// <summary>The longest config <c>name</c> (a metric label) and realm.</summary>
    public const int MaxLabelLength = 128;

    /// <summary>Credential locations per method.</summary>
    public const int MaxSources = 8;

    /// <summary>Authorization rules per config.</summary>
    public const int MaxRules = 64;

    /// <summary>Conditions of one kind per rule (CIDRs, methods, headers, claims).</summary>
    public const int MaxConditions = 16;

    /// <summary>Claims copied to headers.</summary>
    public const int MaxClaimHeaders = 16;

    /// <summary>Accepted audiences.</summary>
    public const int MaxAudiences = 16;

    /// <summary>The largest verified-credential cache per worker.</summary>
    public const int MaxCacheEntries = 65536;

    /// <summary>The largest clock skew accepted for exp/nbf, in seconds.</summary>
    public const int MaxClockSkewSeconds = 600;

    /// <summary>The longest token, API key or basic credential read from a request, in bytes.</summary>
    public const int MaxCredentialBytes = 8192;

    /// <summary>The largest JWKS document (inline, secret or fetched), in bytes.</summary>
    public const int MaxJwksBytes = 256 * 1024;

    /// <summary>Keys per JWKS.</summary>
    public const int MaxJwksKeys = 64;
}
