namespace EnvoyExt.ControlPlane.Resources;

/// <summary>
/// Our GatewayClass parameters kind (gateway.envoyext.io/v1alpha1, namespaced), named by a class's
/// <c>spec.parametersRef</c>. It holds what every Gateway of the class shares: today the Redis that
/// <c>Global</c> rate-limit rules lease tokens from. Values are kept as written; the translator checks
/// them with the rate_limit filter's own validator and reports a problem on the GatewayClass.
/// </summary>
public sealed record EnvoyExtParameters : KubernetesResource
{
    public const string KindName = "EnvoyExtParameters";

    public override string Kind => KindName;

    /// <summary>spec.rateLimit; null when the class configures no Redis.</summary>
    public GlobalRateLimitParameters? RateLimit { get; init; }
}

/// <summary>spec.rateLimit: the Redis connection and lease settings of Global rules.</summary>
public sealed record GlobalRateLimitParameters
{
    public IReadOnlyList<string> Addresses { get; init; } = [];

    public bool Tls { get; init; }

    public int? Database { get; init; }

    public string? KeyPrefix { get; init; }

    /// <summary>A Gateway API duration (e.g. "100ms"); the longest a request waits for Redis.</summary>
    public string? Timeout { get; init; }

    public string? Username { get; init; }

    /// <summary>The Secret (in the parameters' namespace) holding the password; null for none.</summary>
    public SecretKeyReference? PasswordRef { get; init; }

    public long? Batch { get; init; }

    public bool? FailOpen { get; init; }

    public int? FailureStatusCode { get; init; }

    public int? MaxWaiting { get; init; }
}

/// <summary>One key of a Secret in the referrer's namespace.</summary>
public sealed record SecretKeyReference(string Name, string Key);
